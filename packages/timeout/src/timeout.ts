/**
 * The handle a timed function receives as its second argument: a view of its own timeout.
 *
 * Read `expired` to learn whether the deadline fired (also after the work chose to return a
 * value anyway), and call `reschedule()` to move the deadline while the work runs — for
 * example to extend an idle timeout each time data arrives.
 *
 * @example
 * ```ts
 * import { now } from "@corral/cancel-core";
 * import { withTimeout } from "@corral/timeout";
 *
 * const total = await withTimeout(100, async (signal, timeout) => {
 *   let sum = 0;
 *   for (const chunk of [1, 2, 3]) {
 *     sum += chunk;
 *     timeout.reschedule(now() + 100); // progress: allow another 100 ms
 *   }
 *   return sum;
 * });
 * ```
 */
export interface Timeout {
  /** The absolute deadline on `now()`'s clock (`@corral/cancel-core`); `Infinity` means none. */
  readonly deadline: number;
  /** The deadline fired: the work's signal aborted because time ran out. Stays true. */
  readonly expired: boolean;
  /**
   * `"active"` while the work runs and the deadline has not fired, `"expired"` once it fired
   * (even if the work then returned a value), `"finished"` once the work settled in time.
   */
  readonly state: "active" | "expired" | "finished";
  /**
   * Move the deadline (absolute ms on `now()`'s clock). `Infinity` disables it; a deadline in
   * the past fires on the next tick. Allowed only while `state` is `"active"`.
   *
   * @throws {Error} when the timeout has already expired or finished.
   * @throws {TypeError} when `deadline` is not a number.
   * @throws {RangeError} when `deadline` is NaN.
   */
  reschedule(deadline: number): void;
}
