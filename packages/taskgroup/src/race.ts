import type { Child, Work } from "./internal/child.js";
import { Nursery } from "./internal/nursery.js";
import { checkOptions, checkSignal, toFunctionList } from "./internal/validate.js";
import { TaskGroupError } from "./task-group-error.js";

class RaceNursery<T> extends Nursery {
  readonly outcomes: unknown[];
  #won = false;
  #value: T | undefined = undefined;
  #failed = false;

  constructor(parent: AbortSignal | undefined, count: number) {
    super(parent, "race");
    this.outcomes = new Array(count);
  }

  override onFulfilled(_child: Child<unknown>, value: unknown): void {
    if (this.#won) return;
    this.#won = true;
    this.#value = value as T;
    this.scope.cancel("another task won the race");
  }

  override onFailed(child: Child<unknown>, error: unknown): void {
    // In a race a failure stops nothing: the others may still win.
    this.#failed = true;
    this.outcomes[child.index] = error;
  }

  override onCancelled(child: Child<unknown>, error: unknown): void {
    this.outcomes[child.index] = error;
  }

  async finish(): Promise<T> {
    await this.close();
    const parent = this.parent;
    if (parent?.aborted && (this.#won || !this.#failed)) throw parent.reason;
    if (this.#won) return this.#value as T;
    throw new TaskGroupError(this.outcomes, `all ${this.outcomes.length} tasks of race() failed`);
  }
}

/**
 * Run every function concurrently; the first to fulfil wins. The others are cancelled, and
 * `race` resolves with the winner's value only after all of them have settled — unlike
 * `Promise.race` / `Promise.any`, nothing keeps running behind your back.
 *
 * A failure does not end the race. If every function fails, rejects with `TaskGroupError` whose
 * `errors` hold each outcome in start order. If `options.signal` aborts before the race has
 * settled, everything is cancelled and it rejects with the signal's reason once all have settled
 * (even if a winner appeared meanwhile; real errors still win when nobody won). Already aborted
 * at the call: nothing starts. An empty iterable rejects with `RangeError`.
 *
 * What it does not stop: losers that ignore their signal; `race` waits for them. A loser's late
 * error after a winner is not reported.
 *
 * @example
 * ```ts
 * import { sleep } from "@corral/cancel-core";
 * import { race } from "@corral/taskgroup";
 *
 * const fastest = await race([
 *   async (signal) => { await sleep(50, { signal }); return "primary"; },
 *   async (signal) => { await sleep(10, { signal }); return "replica"; },
 * ]);
 * console.log(fastest); // "replica" — the primary was cancelled and awaited
 * ```
 *
 * @throws {TypeError} when `fns` is not an iterable of functions or `options.signal` is not an
 *   AbortSignal.
 */
export function race<F extends (signal: AbortSignal) => unknown>(
  fns: Iterable<F>,
  options?: { signal?: AbortSignal },
): Promise<Awaited<ReturnType<F>>>;
export function race<T>(fns: Iterable<(signal: AbortSignal) => T | PromiseLike<T>>, options?: { signal?: AbortSignal }): Promise<T>;
export function race<T>(fns: Iterable<Work<T>>, options?: { signal?: AbortSignal }): Promise<T> {
  const list = toFunctionList<Work<T>>(fns, "fns");
  checkOptions(options, "options");
  const signal = checkSignal(options?.signal, "options.signal");
  if (list.length === 0) return Promise.reject(new RangeError("race() needs at least one function"));
  if (signal?.aborted) return Promise.reject(signal.reason);
  const nursery = new RaceNursery<T>(signal, list.length);
  for (let i = 0; i < list.length; i++) nursery.spawn(list[i]!, undefined).index = i;
  return nursery.finish();
}
