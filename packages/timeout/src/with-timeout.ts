import { checkDeadline, checkDuration, checkFunction, checkOptions, checkSignal } from "@corral/cancel-core";
import type { Timeout } from "./timeout.js";
import { deadlineScope, timeoutScope } from "./internal/scope.js";
import { TimeoutHandle } from "./internal/timeout-handle.js";

/** Options of {@link withTimeout} and {@link withDeadline}. */
export interface WithTimeoutOptions {
  /** Parent signal: its abort reaches the work too, and passes through unchanged (never a `TimeoutError`). */
  signal?: AbortSignal;
}

/**
 * Run `fn` with a signal that aborts after `ms` milliseconds; if `fn` then rejects with that
 * cancellation, reject with a `TimeoutError` whose `cause` is the `CancelledError`
 * (`asyncio.timeout()`, trio's `fail_after`).
 *
 * Use it when running out of time is a failure. When it is an expected outcome, use
 * {@link moveOnAfter}. `AbortSignal.timeout(ms)` is enough when you only need a signal and do not
 * care which timeout fired; `withTimeout` adds ownership (an outer cancellation is never turned
 * into a `TimeoutError`), a cleared timer as soon as `fn` settles, and a reschedulable deadline.
 *
 * `fn` starts at once, even for `ms` = 0 (that deadline fires on the next tick, never
 * synchronously). If `fn` ignores its signal and fulfils after the deadline, its value is
 * returned and `timeout.expired` is true. Any other error from `fn` propagates unchanged, and a
 * cancellation from `options.signal` or an outer timeout passes through untouched.
 *
 * What it does not stop: code that ignores the signal. The promise settles only when `fn` does,
 * so work is never left running behind your back — pass the signal on (`fetch`, Node APIs) or
 * check it.
 *
 * @example
 * ```ts
 * import { isTimeoutError } from "@corral/cancel-core";
 * import { withTimeout } from "@corral/timeout";
 *
 * try {
 *   const body = await withTimeout(2_000, async (signal) => {
 *     const response = await fetch("https://example.com/", { signal });
 *     return await response.text();
 *   });
 *   console.log(body.length);
 * } catch (error) {
 *   if (isTimeoutError(error)) console.log("gave up after 2 s");
 *   else throw error;
 * }
 * ```
 *
 * @throws {RangeError} when `ms` is negative or NaN.
 * @throws {TypeError} when `ms` is not a number, `fn` not a function or `options.signal` not an AbortSignal.
 * Rejects with `TimeoutError` when the deadline fired and `fn` rejected with that cancellation.
 */
export function withTimeout<T>(
  ms: number,
  fn: (signal: AbortSignal, timeout: Timeout) => T | PromiseLike<T>,
  options?: WithTimeoutOptions,
): Promise<T> {
  checkDuration(ms, "ms");
  checkFunction(fn, "fn");
  checkOptions(options);
  const parent = checkSignal(options?.signal, "options.signal");
  // "fail" never resolves undefined for an expiry: the value is fn's own.
  return TimeoutHandle.run(timeoutScope("withTimeout", parent, ms), fn, parent, "fail", ms) as Promise<T>;
}

/**
 * {@link withTimeout} with an absolute deadline on `now()`'s clock (`@corral/cancel-core`):
 * `fn`'s signal aborts when the deadline passes, and that expiry becomes a `TimeoutError`.
 *
 * Use it to share one deadline across several steps (compute it once, pass it down). A
 * deadline in the past, negative included, fires on the next tick; `fn` still starts.
 *
 * What it does not stop: code that ignores the signal (see {@link withTimeout}).
 *
 * @example
 * ```ts
 * import { now, sleep } from "@corral/cancel-core";
 * import { withDeadline } from "@corral/timeout";
 *
 * const deadline = now() + 1_000; // one budget for both steps
 * await withDeadline(deadline, (signal) => sleep(100, { signal }));
 * await withDeadline(deadline, (signal) => sleep(100, { signal }));
 * ```
 *
 * @throws {RangeError} when `deadline` is NaN.
 * @throws {TypeError} when `deadline` is not a number, `fn` not a function or `options.signal` not an AbortSignal.
 * Rejects with `TimeoutError` when the deadline fired and `fn` rejected with that cancellation.
 */
export function withDeadline<T>(
  deadline: number,
  fn: (signal: AbortSignal, timeout: Timeout) => T | PromiseLike<T>,
  options?: WithTimeoutOptions,
): Promise<T> {
  checkDeadline(deadline, "deadline");
  checkFunction(fn, "fn");
  checkOptions(options);
  const parent = checkSignal(options?.signal, "options.signal");
  return TimeoutHandle.run(deadlineScope("withDeadline", parent, deadline), fn, parent, "fail", -1) as Promise<T>;
}
