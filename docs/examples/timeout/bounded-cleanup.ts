// Cleanup after a timeout fired must itself be bounded. Inside `finally`, the work's signal is
// already aborted: a timeout given that signal would start cancelled (its work sees the outer
// reason at once). So bound the cleanup with a timeout of its own — no parent — or, when the
// cleanup must run whatever happens outside, with @corral/shield and its `timeout` option.
import { isTimeoutError, sleep } from "@corral/cancel-core";
import { shield } from "@corral/shield";
import { moveOnAfter, withTimeout } from "@corral/timeout";

const log: string[] = [];

/** A cleanup step that takes `ms` and honours its signal. */
async function closeSession(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, { signal });
  log.push(`session closed after ${ms} ms`);
}

// 1. The work times out; its cleanup hangs, and a 50 ms moveOnAfter gives up on it.
const first = await withTimeout(20, async (signal) => {
  try {
    await sleep(1_000, { signal });
  } finally {
    const closed = await moveOnAfter(50, (cleanup) => closeSession(5_000, cleanup).then(() => true));
    log.push(closed ? "cleanup done" : "cleanup abandoned after 50 ms");
  }
}).catch((error: unknown) => error);
console.log(`1: ${isTimeoutError(first) ? "TimeoutError" : String(first)}; ${log.join("; ")}`);
if (!isTimeoutError(first) || log.join() !== "cleanup abandoned after 50 ms") throw new Error("cleanup was not bounded");

// 2. The same, with a shield: the cleanup is protected from the caller's cancellation and
//    bounded by the shield's own timeout; it finishes in 10 ms here.
log.length = 0;
const second = await withTimeout(20, async (signal) => {
  try {
    await sleep(1_000, { signal });
  } finally {
    await shield((cleanup) => closeSession(10, cleanup), { signal, timeout: 50 });
  }
}).catch((error: unknown) => error);
console.log(`2: ${isTimeoutError(second) ? "TimeoutError" : String(second)}; ${log.join("; ")}`);
if (!isTimeoutError(second) || log.join() !== "session closed after 10 ms") throw new Error("cleanup did not run");
