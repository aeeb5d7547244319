// setTimeout stores its delay in a signed 32-bit integer: a longer delay would fire after 1 ms.
const maxDelay = 2 ** 31 - 1;

/** Whatever holds the pending timer, so it can be cleared at any point of a long chain. */
export interface TimerHolder {
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Call `callback` once `delay` ms have passed (never synchronously; a delay ≤ 0 fires on the next
 * tick), chaining timers for delays past ~24.8 days. `setTimeout` is looked up at each call, so
 * fake timers installed after this module loaded still apply.
 */
export function setTimer(holder: TimerHolder, delay: number, callback: () => void): void {
  if (delay > maxDelay) {
    holder.timer = globalThis.setTimeout(() => setTimer(holder, delay - maxDelay, callback), maxDelay);
  } else {
    holder.timer = globalThis.setTimeout(callback, Math.max(delay, 0));
  }
}

export function clearTimer(holder: TimerHolder): void {
  if (holder.timer !== undefined) {
    globalThis.clearTimeout(holder.timer);
    holder.timer = undefined;
  }
}
