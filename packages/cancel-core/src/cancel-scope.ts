import { now } from "./clock.js";
import { CancelledError, isAbortError, isCancelledError } from "./errors.js";
import { clearTimer, setTimer } from "./internal/timer.js";
import { abort, detach, link, Node } from "./internal/tree.js";
import { checkDeadline, checkDuration, checkFunction, checkOptional, checkOptions, checkSignal } from "./validate.js";

/** Options of {@link CancelScope}. An option set to `undefined` is the same as one left out. */
export interface CancelScopeOptions {
  /** Parent signal: its abort cancels this scope (with the same reason) unless the scope is shielded. */
  signal?: AbortSignal | undefined;
  /** Relative deadline in ms, computed once at construction. Not together with `deadline`. */
  timeout?: number | undefined;
  /** Absolute deadline on {@link now}'s clock. Not together with `timeout`. */
  deadline?: number | undefined;
  /** Ignore the parent's cancellation (the scope's own `cancel()` and deadline still apply). */
  shield?: boolean | undefined;
  /** Shown in error messages and in `CancelledError.scope.name`. */
  name?: string | undefined;
}

/**
 * A region of work that can be cancelled as a unit: trio's cancel scope, on `AbortSignal`.
 *
 * Hand `scope.signal` to the work (or to `fetch`, or to Node's APIs). The signal aborts when
 * `cancel()` is called, when the deadline passes, or when the parent `signal` aborts (unless the
 * scope is shielded); child scopes created with `signal: scope.signal` follow it, and every one
 * of them sees the same reason object. `run()` swallows only the cancellation this scope caused.
 *
 * Linking to a parent costs O(1) and leaves nothing behind on the parent after `[Symbol.dispose]`
 * (or the end of `run()`), however long-lived the parent is.
 *
 * What it does not do: cancelling a scope does not stop code that ignores the signal. Work has
 * to pass the signal on or check it (`checkpoint(signal)`, `signal.throwIfAborted()`).
 *
 * @example
 * ```ts
 * import { CancelScope, sleep } from "@corral/cancel-core";
 *
 * const scope = new CancelScope({ timeout: 50, name: "slow-part" });
 * const result = await scope.run(async (signal) => {
 *   await sleep(1_000, { signal });
 *   return "finished";
 * });
 * console.log(result, scope.cancelledCaught); // undefined true
 * ```
 */
export class CancelScope implements Disposable {
  readonly name: string;
  readonly #node = new Node();
  #deadline = Infinity;
  #cancelCalled = false;
  #cancelledCaught = false;
  #ran = false;
  #disposed = false;

  /**
   * @throws {TypeError} when `signal` is not an AbortSignal, `shield` not a boolean, or both
   *   `timeout` and `deadline` are given.
   * @throws {RangeError} when `timeout` is negative or NaN, or `deadline` is NaN.
   */
  constructor(options?: CancelScopeOptions) {
    checkOptions(options);
    const signal = checkSignal(options?.signal, "options.signal");
    const shield = options?.shield;
    checkOptional(shield, "boolean", "options.shield");
    const timeout = options?.timeout;
    const deadline = options?.deadline;
    if (timeout !== undefined && deadline !== undefined) {
      throw new TypeError("options.timeout and options.deadline exclude each other");
    }
    const name = options?.name;
    checkOptional(name, "string", "options.name");
    this.name = name ?? "CancelScope";
    if (shield) this.#node.shielded = true;
    link(this.#node, signal);
    if (timeout !== undefined) this.deadline = now() + checkDuration(timeout, "options.timeout");
    else if (deadline !== undefined) this.deadline = checkDeadline(deadline, "options.deadline");
  }

  /** Aborts on `cancel()`, on the deadline, or on an unshielded parent abort. */
  get signal(): AbortSignal {
    return this.#node.signal();
  }

  /** This scope's own `cancel()` ran, or its deadline passed. */
  get cancelCalled(): boolean {
    return this.#cancelCalled;
  }

  /** `run()` swallowed this scope's own cancellation. */
  get cancelledCaught(): boolean {
    return this.#cancelledCaught;
  }

  /**
   * The absolute deadline on {@link now}'s clock; `Infinity` means none. Assigning reschedules it;
   * a value in the past cancels the scope on the next tick (never synchronously).
   */
  get deadline(): number {
    return this.#deadline;
  }

  set deadline(value: number) {
    this.#deadline = checkDeadline(value, "deadline");
    const node = this.#node;
    clearTimer(node);
    if (this.#disposed || node.aborted || value === Infinity) return;
    setTimer(node, value - now(), () => {
      node.timer = undefined;
      this.cancel();
    });
  }

  /** Whether the parent's cancellation is ignored. Unshielding while the parent is aborted cancels now. */
  get shield(): boolean {
    return this.#node.shielded;
  }

  set shield(value: boolean) {
    checkOptional(value ?? 0, "boolean", "shield"); // `?? 0`: here undefined is a wrong type too
    const node = this.#node;
    node.shielded = value;
    const parent = node.parent;
    if (!value && parent?.isAborted()) abort(node, parent.abortReason());
  }

  /**
   * Cancel this scope: its signal (and every unshielded descendant) aborts with
   * `new CancelledError(reason, { scope: this })`. Idempotent: later calls change nothing.
   */
  cancel(reason?: unknown): void {
    if (this.#cancelCalled) return;
    this.#cancelCalled = true;
    if (!this.#node.aborted) abort(this.#node, new CancelledError(reason, { scope: this }));
  }

  /**
   * True when `error` is the {@link CancelledError} this scope caused — or an `AbortError` whose
   * `cause` is that error, which is how Node's promise APIs (`timers/promises`, `events.once`,
   * streams) reject when the signal they were given aborts.
   */
  owns(error: unknown): boolean {
    const cancelled = isAbortError(error) ? error.cause : error;
    return isCancelledError(cancelled) && cancelled.scope === this;
  }

  /**
   * Run `fn` with this scope's signal, then dispose the scope.
   *
   * Resolves with `fn`'s value. If `fn` rejects with this scope's own cancellation, resolves
   * `undefined` and sets `cancelledCaught` — unless the parent was cancelled too (and the scope
   * is not shielded): then the parent's reason is thrown, so the outermost owner handles it.
   * Any other rejection propagates unchanged.
   *
   * @throws {TypeError} when `fn` is not a function.
   * Rejects with `Error` when called a second time.
   */
  run<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>): Promise<T | undefined> {
    checkFunction(fn, "fn");
    if (this.#ran) return Promise.reject(new Error(`"${this.name}".run() may be called only once`));
    this.#ran = true;
    return this.#run(fn);
  }

  async #run<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>): Promise<T | undefined> {
    try {
      return await fn(this.signal);
    } catch (error) {
      if (!this.owns(error)) throw error;
      const parent = this.#node.parent;
      if (!this.#node.shielded && parent?.isAborted()) throw parent.abortReason();
      this.#cancelledCaught = true;
      return undefined;
    } finally {
      this[Symbol.dispose]();
    }
  }

  /** Detach from the parent signal and clear the deadline timer. The signal keeps its state. */
  [Symbol.dispose](): void {
    this.#disposed = true;
    clearTimer(this.#node);
    detach(this.#node);
  }
}
