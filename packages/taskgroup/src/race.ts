import type { Child } from "./internal/child.js";
import { runAll } from "./internal/run-all.js";

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
export function race<T>(fns: Iterable<(signal: AbortSignal) => T | PromiseLike<T>>, options?: { signal?: AbortSignal }): Promise<T> {
  let winner: Child<unknown> | undefined;
  return runAll(
    "race",
    fns,
    options,
    (child, nursery) => {
      // In a race a failure stops nothing: the others may still win.
      if (child.state === "fulfilled" && !winner) {
        winner = child;
        nursery.cancel("a task won the race");
      }
    },
    (nursery, children) => {
      const parent = nursery.parent;
      if (parent?.aborted && (winner || !children.some((child) => child.state === "rejected"))) throw parent.reason;
      if (winner) return winner.outcome as T;
      throw nursery.error(children.map((child) => child.outcome));
    },
  );
}
