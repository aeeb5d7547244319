// Building your own primitive on cancel-core: a `poll()` that retries until a condition holds,
// bounded by the caller's signal. It follows the house rules: reject with signal.reason,
// link through a child scope (O(1), nothing left on the caller's signal), clean up in finally.
import { getEventListeners } from "node:events";
import { CancelScope, sleep } from "@corral/cancel-core";

export async function poll<T>(
  check: (signal: AbortSignal) => Promise<T | undefined>,
  options: { interval: number; signal?: AbortSignal },
): Promise<T> {
  using scope = new CancelScope(options.signal ? { signal: options.signal, name: "poll" } : { name: "poll" });
  for (;;) {
    const value = await check(scope.signal);
    if (value !== undefined) return value;
    await sleep(options.interval, { signal: scope.signal });
  }
}

const caller = new AbortController();
let attempts = 0;
const value = await poll(
  async () => {
    attempts++;
    return attempts === 3 ? "ready" : undefined;
  },
  { interval: 5, signal: caller.signal },
);
console.log("poll returned", value, "after", attempts, "attempts");

setTimeout(() => caller.abort(new Error("user gave up")), 20);
const stopped = await poll(async () => undefined, { interval: 5, signal: caller.signal }).catch((error: Error) => error.message);
console.log("poll stopped with:", stopped);
console.log("listeners left on the caller's signal:", getEventListeners(caller.signal, "abort").length);
if (value !== "ready" || stopped !== "user gave up" || getEventListeners(caller.signal, "abort").length !== 0) {
  throw new Error("poll() broke a promise");
}
