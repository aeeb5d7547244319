import type { Child, Work } from "./internal/child.js";
import { Nursery } from "./internal/nursery.js";
import { checkOptions, checkSignal, toFunctionList } from "./internal/validate.js";
import { TaskGroupError } from "./task-group-error.js";

class GatherNursery extends Nursery {
  readonly results: unknown[];
  #interrupted = false;
  #interruption: unknown = undefined;

  constructor(parent: AbortSignal | undefined, count: number) {
    super(parent, "gather");
    this.results = new Array(count);
  }

  override onFulfilled(child: Child<unknown>, value: unknown): void {
    this.results[child.index] = value;
  }

  override onCancelled(_child: Child<unknown>, error: unknown): void {
    // A child cancelled by something other than gather itself leaves a hole in the results:
    // stop the others and hand that cancellation on.
    if (this.#interrupted || this.scope.owns(error)) return;
    this.#interrupted = true;
    this.#interruption = error;
    this.scope.cancel("a task of gather() was cancelled");
  }

  async finish(): Promise<unknown[]> {
    await this.close();
    const errors = this.errors;
    if (errors) throw new TaskGroupError(errors, `${errors.length} of ${this.results.length} tasks of gather() failed`);
    const parent = this.parent;
    if (parent?.aborted) throw parent.reason;
    if (this.#interrupted) throw this.#interruption;
    return this.results;
  }
}

/**
 * Run every function concurrently, each with its own signal, and resolve with their values in
 * input order — `Promise.all` with structure: the first failure cancels the others, and nothing
 * is left running when it settles.
 *
 * Failures: once every function has settled, rejects with `TaskGroupError` (errors in the order
 * they happened). If `options.signal` aborts, everything is cancelled and it rejects with the
 * signal's reason once all have settled (errors still win). A function cancelled by something
 * else ends `gather` with that cancellation. Already aborted at the call: nothing starts.
 *
 * What it does not stop: functions that ignore their signal; `gather` waits for them.
 *
 * @example
 * ```ts
 * import { sleep } from "@corral/cancel-core";
 * import { gather } from "@corral/taskgroup";
 *
 * // The first signature infers a tuple of the functions' awaited results; the second lets you
 * // name the result type: gather<[string, number]>([...]).
 * const [a, b] = await gather([
 *   async (signal) => { await sleep(20, { signal }); return "a"; },
 *   async () => 2,
 * ]);
 * console.log(a, b); // "a" 2
 * ```
 *
 * @throws {TypeError} when `fns` is not an iterable of functions or `options.signal` is not an
 *   AbortSignal.
 */
export function gather<const F extends readonly ((signal: AbortSignal) => unknown)[]>(
  fns: F,
  options?: { signal?: AbortSignal },
): Promise<{ -readonly [K in keyof F]: Awaited<ReturnType<F[K]>> }>;
export function gather<T extends readonly unknown[]>(
  fns: { readonly [K in keyof T]: (signal: AbortSignal) => T[K] | PromiseLike<T[K]> },
  options?: { signal?: AbortSignal },
): Promise<T>;
export function gather(fns: Iterable<Work<unknown>>, options?: { signal?: AbortSignal }): Promise<unknown[]> {
  const list = toFunctionList<Work<unknown>>(fns, "fns");
  checkOptions(options, "options");
  const signal = checkSignal(options?.signal, "options.signal");
  if (signal?.aborted) return Promise.reject(signal.reason);
  const nursery = new GatherNursery(signal, list.length);
  for (let i = 0; i < list.length; i++) nursery.spawn(list[i]!, undefined).index = i;
  return nursery.finish();
}
