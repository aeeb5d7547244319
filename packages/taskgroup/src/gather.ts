import { failFast } from "./internal/nursery.js";
import { runAll } from "./internal/run-all.js";

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
export function gather(fns: Iterable<(signal: AbortSignal) => unknown>, options?: { signal?: AbortSignal }): Promise<unknown[]> {
  return runAll(
    "gather",
    fns,
    options,
    (child, nursery) => {
      // A child cancelled by something other than gather itself leaves a hole in the results:
      // stop the others and hand that cancellation on.
      if (child.state === "cancelled" && !nursery.scope.owns(child.outcome)) {
        nursery.interrupt(child.outcome, "a task was cancelled");
      } else failFast(child, nursery);
    },
    (nursery, children) => nursery.outcome(children.map((child) => child.outcome)) as unknown[],
  );
}
