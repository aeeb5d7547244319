import { checkDeadline, checkDuration, checkFunction, checkOptions, checkSignal } from "@corral/cancel-core";
import type { Timeout } from "./timeout.js";
import { deadlineScope, timeoutScope } from "./internal/scope.js";
import { TimeoutHandle } from "./internal/timeout-handle.js";
import type { WithTimeoutOptions } from "./with-timeout.js";

/**
 * Run `fn` with a signal that aborts after `ms` milliseconds; if `fn` then rejects with that
 * cancellation, resolve `undefined` instead (trio's `move_on_after`).
 *
 * Use it when running out of time is an expected outcome: collect what you can in 50 ms, poll
 * until a budget is spent, try a cache first. Check `timeout.expired` (the second argument of
 * `fn`) if `undefined` is also a value `fn` can return.
 *
 * A cancellation from `options.signal` or an outer timeout is not swallowed: it passes through
 * unchanged. Errors from `fn` propagate unchanged. `ms` = 0 fires on the next tick; `fn` still
 * starts.
 *
 * What it does not stop: code that ignores the signal. The promise settles only when `fn` does.
 *
 * @example
 * ```ts
 * import { sleep } from "@corral/cancel-core";
 * import { moveOnAfter } from "@corral/timeout";
 *
 * const found: string[] = [];
 * await moveOnAfter(50, async (signal) => {
 *   for (const peer of ["a", "b", "c"]) {
 *     await sleep(30, { signal });
 *     found.push(peer);
 *   }
 * });
 * console.log(found); // [ "a" ]: the search moved on after 50 ms
 * ```
 *
 * @throws {RangeError} when `ms` is negative or NaN.
 * @throws {TypeError} when `ms` is not a number, `fn` not a function or `options.signal` not an AbortSignal.
 */
export function moveOnAfter<T>(
  ms: number,
  fn: (signal: AbortSignal, timeout: Timeout) => T | PromiseLike<T>,
  options?: WithTimeoutOptions,
): Promise<T | undefined> {
  checkDuration(ms, "ms");
  checkFunction(fn, "fn");
  checkOptions(options);
  const parent = checkSignal(options?.signal, "options.signal");
  return TimeoutHandle.run(timeoutScope("moveOnAfter", parent, ms), fn, parent, "move-on", ms);
}

/**
 * {@link moveOnAfter} with an absolute deadline on `now()`'s clock (`@corral/cancel-core`):
 * resolves `undefined` when the deadline passed and `fn` rejected with that cancellation
 * (trio's `move_on_at`). A deadline in the past fires on the next tick; `fn` still starts.
 *
 * What it does not stop: code that ignores the signal (see {@link moveOnAfter}).
 *
 * @example
 * ```ts
 * import { now, sleep } from "@corral/cancel-core";
 * import { moveOnAt } from "@corral/timeout";
 *
 * const endOfFrame = now() + 16;
 * const result = await moveOnAt(endOfFrame, async (signal) => {
 *   await sleep(100, { signal });
 *   return "rendered";
 * });
 * console.log(result); // undefined: the frame ended first
 * ```
 *
 * @throws {RangeError} when `deadline` is NaN.
 * @throws {TypeError} when `deadline` is not a number, `fn` not a function or `options.signal` not an AbortSignal.
 */
export function moveOnAt<T>(
  deadline: number,
  fn: (signal: AbortSignal, timeout: Timeout) => T | PromiseLike<T>,
  options?: WithTimeoutOptions,
): Promise<T | undefined> {
  checkDeadline(deadline, "deadline");
  checkFunction(fn, "fn");
  checkOptions(options);
  const parent = checkSignal(options?.signal, "options.signal");
  return TimeoutHandle.run(deadlineScope("moveOnAt", parent, deadline), fn, parent, "move-on", -1);
}
