// The `catch (e)` pitfall: a retry loop that swallows every error also swallows the
// cancellation, and the job never stops. isCancellation() tells the two apart.
import { CancelScope, isCancellation, sleep } from "@corral/cancel-core";

async function flakyCall(signal: AbortSignal): Promise<string> {
  await sleep(5, { signal });
  throw new Error("upstream 503");
}

async function retryForever(signal: AbortSignal, log: string[]): Promise<never> {
  for (;;) {
    try {
      await flakyCall(signal);
    } catch (error) {
      if (isCancellation(error)) throw error; // not ours to swallow: let it reach its owner
      log.push((error as Error).message);
    }
  }
}

const scope = new CancelScope({ timeout: 50, name: "job" });
const log: string[] = [];
await scope.run((signal) => retryForever(signal, log));
console.log(`retried ${log.length > 0 ? "several times" : "never"}, then stopped:`, scope.cancelledCaught);
if (!scope.cancelledCaught || log.length === 0) throw new Error("the loop did not stop on cancellation");
