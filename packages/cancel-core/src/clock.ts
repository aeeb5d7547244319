/**
 * Monotonic milliseconds: the clock of every deadline in corral.
 *
 * It is `performance.now()`, looked up at each call so that fake timers which replace
 * `performance` are honoured. Wall-clock changes (NTP, daylight saving) never move it.
 */
export function now(): number {
  return globalThis.performance.now();
}
