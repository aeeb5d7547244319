// An idle timeout: the deadline moves each time data arrives, so a slow but steady stream is
// allowed to finish while a stalled one is cut off.
import { now, sleep } from "@corral/cancel-core";
import { withTimeout } from "@corral/timeout";

const IDLE_MS = 100;

/** A stream of chunks with the given gaps between them (it honours the signal). */
async function* chunks(gaps: number[], signal: AbortSignal): AsyncGenerator<string> {
  for (const [index, gap] of gaps.entries()) {
    await sleep(gap, { signal });
    yield `chunk ${index + 1}`;
  }
}

async function download(gaps: number[]): Promise<string[]> {
  return await withTimeout(IDLE_MS, async (signal, timeout) => {
    const received: string[] = [];
    for await (const chunk of chunks(gaps, signal)) {
      received.push(chunk);
      timeout.reschedule(now() + IDLE_MS); // progress: another IDLE_MS of patience
    }
    return received;
  });
}

// Five chunks 60 ms apart: 300 ms in all, more than IDLE_MS, but never idle for that long.
const steady = await download([60, 60, 60, 60, 60]);
console.log(`steady stream: ${steady.length} chunks`);
if (steady.length !== 5) throw new Error("the steady stream should have finished");

// The third chunk never comes in time: the idle deadline fires.
const stalled = await download([60, 60, 1_000]).catch((error: unknown) => error);
console.log(`stalled stream: ${(stalled as Error).name}`);
if ((stalled as Error).name !== "TimeoutError") throw new Error("the stalled stream should have timed out");
