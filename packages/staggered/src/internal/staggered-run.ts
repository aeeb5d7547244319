import { CancelScope, onCancel } from "@corral/cancel-core";
import { StaggeredRaceError } from "../staggered-race-error.js";
import type { StaggeredResult } from "../staggered-race.js";
import { reportError } from "./report.js";
import { clearTimer, setTimer, type Timer } from "./timer.js";

/**
 * What a race pulls its attempts from: the next attempt (any value; a non-function fails as
 * that attempt), `"done"` when there will be no more, or `"wait"` when one may come later — the
 * owner then calls `wake()` once it has more (happyEyeballs, while a DNS family is still
 * resolving).
 */
export interface AttemptSource {
  next(): { attempt: unknown } | "wait" | "done";
  /** Called once when the race stops pulling before `next()` said `"done"` (or threw). */
  close(): void;
}

export interface RunOptions<T> {
  /** ms between starts; `Infinity` starts the next attempt only when the previous one fails. */
  delay: number;
  signal: AbortSignal | undefined;
  /** Disposes of a value nobody will receive: a loser's late fulfilment, or the winner's when the race rejects. */
  discard?: ((value: T) => void) | undefined;
}

/**
 * The state machine behind `staggeredRace` and `happyEyeballs`.
 *
 * Every decision runs inside one callback (a timer, a settlement, an abort), so it is never
 * interleaved: the first fulfilment to be observed wins and cancels the others before any other
 * settlement is looked at, which is what keeps two attempts that fulfil in the same tick from
 * both winning. Attempt i+1 starts from attempt i's timer or from attempt i's failure, whichever
 * runs first; the other one is then cleared or ignored.
 */
export class StaggeredRun<T> {
  /** One slot per started attempt, in start order. */
  readonly errors: unknown[] = [];
  readonly promise: Promise<StaggeredResult<T>>;
  readonly #source: AttemptSource;
  readonly #delay: number;
  readonly #signal: AbortSignal | undefined;
  readonly #discard: ((value: T) => void) | undefined;
  /** Each running attempt's scope (and the winner's until the race settles); `undefined` once settled. */
  readonly #scopes: (CancelScope | undefined)[] = [];
  readonly #timer: Timer = { handle: undefined };
  #running = 0;
  #latest = -1;
  #winner: { value: T; index: number } | undefined;
  /** No further attempt starts: a winner, an abort, or a broken source. */
  #stopped = false;
  /** The source said "done", threw, or was closed. */
  #exhausted = false;
  /** A start is due but the source said "wait". */
  #due = false;
  #failure: { error: unknown } | undefined;
  #registration: Disposable | undefined;
  #settled = false;
  #resolve!: (result: StaggeredResult<T>) => void;
  #reject!: (reason: unknown) => void;

  constructor(source: AttemptSource, options: RunOptions<T>) {
    this.#source = source;
    this.#delay = options.delay;
    this.#signal = options.signal;
    this.#discard = options.discard;
    this.promise = new Promise<StaggeredResult<T>>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** Begin: pull attempt 0. Call once, from a later microtask than the public call. */
  start(): Promise<StaggeredResult<T>> {
    const signal = this.#signal;
    if (signal?.aborted) {
      this.#stop();
    } else {
      if (signal) {
        this.#registration = onCancel(signal, () => {
          // The attempts' scopes are linked under `signal` and abort with it; this only stops
          // further starts and settles the race if nothing is running.
          this.#stop();
          this.#maybeFinish();
        });
      }
      this.#startNext();
    }
    this.#maybeFinish();
    return this.promise;
  }

  /** The source may have more attempts now: start one if a start is due. */
  wake(): void {
    if (!this.#due) return;
    this.#startNext();
    this.#maybeFinish();
  }

  #startNext(): void {
    if (this.#stopped || this.#exhausted) return;
    clearTimer(this.#timer);
    this.#due = false;
    let next: ReturnType<AttemptSource["next"]>;
    try {
      next = this.#source.next();
    } catch (error) {
      // A source that throws is finished: it must not be closed as well.
      this.#exhausted = true;
      this.#failure ??= { error };
      this.#stop();
      return;
    }
    if (next === "wait") this.#due = true;
    else if (next === "done") this.#exhausted = true;
    else this.#launch(next.attempt);
  }

  #launch(attempt: unknown): void {
    const index = this.errors.length;
    this.errors.push(undefined);
    const name = `staggered attempt ${index}`;
    const scope = new CancelScope(this.#signal ? { signal: this.#signal, name } : { name });
    this.#scopes.push(scope);
    this.#running++;
    this.#latest = index;
    setTimer(this.#timer, this.#delay, () => {
      this.#startNext();
      this.#maybeFinish();
    });
    let result: unknown;
    try {
      if (typeof attempt !== "function") throw new TypeError(`attempt ${index} is not a function, got ${attempt === null ? "null" : typeof attempt}`);
      result = attempt(scope.signal);
    } catch (error) {
      // A synchronous throw is a failure like any other, reported from a later microtask.
      result = Promise.reject(error);
    }
    Promise.resolve(result as T | PromiseLike<T>).then(
      (value) => this.#fulfilled(index, value),
      (error: unknown) => this.#rejected(index, error),
    );
  }

  #fulfilled(index: number, value: T): void {
    this.#running--;
    if (this.#winner === undefined && !this.#stopped) {
      this.#winner = { value, index };
      this.#stop();
    } else {
      // Already lost (it ignored its signal, or fulfilled in the same tick as the winner): its
      // slot records the cancellation it was sent, and its value is disposed of.
      const scope = this.#scopes[index]!;
      this.errors[index] = scope.signal.reason;
      this.#settle(index);
      this.#discardValue(value);
    }
    this.#maybeFinish();
  }

  #rejected(index: number, error: unknown): void {
    this.#running--;
    // A loser cancelled by the race gets the race's CancelledError in its slot, also when it
    // rejected with Node's AbortError wrapper of it (timers/promises, events.once, streams).
    const scope = this.#scopes[index]!;
    this.errors[index] = scope.owns(error) ? scope.signal.reason : error;
    this.#settle(index);
    // Only the failure of the most recent attempt brings the next start forward.
    if (index === this.#latest) this.#startNext();
    this.#maybeFinish();
  }

  #settle(index: number): void {
    this.#scopes[index]![Symbol.dispose]();
    this.#scopes[index] = undefined;
  }

  #stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#due = false;
    clearTimer(this.#timer);
    if (!this.#exhausted) {
      this.#exhausted = true;
      try {
        this.#source.close();
      } catch (error) {
        this.#failure ??= { error };
      }
    }
    // After a caller's abort the scopes are already aborted with the caller's reason.
    if (this.#signal?.aborted) return;
    const winner = this.#winner?.index;
    const reason = winner === undefined ? "the staggered race failed" : `attempt ${winner} won the staggered race`;
    for (let i = 0; i < this.#scopes.length; i++) {
      if (i !== winner) this.#scopes[i]?.cancel(reason);
    }
  }

  #maybeFinish(): void {
    if (this.#settled || this.#running > 0 || !(this.#stopped || this.#exhausted)) return;
    this.#settled = true;
    clearTimer(this.#timer);
    this.#registration?.[Symbol.dispose]();
    // Detach the winner's scope (the only one left) from the caller's signal: after the race it
    // never aborts.
    for (const scope of this.#scopes) scope?.[Symbol.dispose]();
    const winner = this.#winner;
    const signal = this.#signal;
    if (this.#failure !== undefined || signal?.aborted) {
      if (winner) this.#discardValue(winner.value);
      this.#reject(this.#failure !== undefined ? this.#failure.error : signal!.reason);
    } else if (winner) {
      this.#resolve({ value: winner.value, index: winner.index, errors: this.errors });
    } else {
      this.#reject(new StaggeredRaceError(this.errors));
    }
  }

  #discardValue(value: T): void {
    const discard = this.#discard;
    if (!discard) return;
    try {
      discard(value);
    } catch (error) {
      reportError(error, "@corral/staggered: disposing of a losing attempt's value failed:");
    }
  }
}
