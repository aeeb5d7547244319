// The `await using` form. Disposal waits for every child, but it cannot see an error thrown by
// the block itself, so the block catches it and calls group.cancel() before rethrowing.
import { sleep } from "@corral/cancel-core";
import { TaskGroup } from "@corral/taskgroup";

const log: string[] = [];

async function handleUpload(fail: boolean): Promise<void> {
  await using group = new TaskGroup({ name: "upload" });
  try {
    group.spawn(async (signal) => {
      try {
        await sleep(5_000, { signal }); // a slow thumbnail job
        log.push("thumbnail done");
      } catch (reason) {
        log.push("thumbnail cancelled");
        throw reason;
      }
    });
    await sleep(10); // the block's own work
    if (fail) throw new Error("virus scan failed");
    group.cancel(); // nothing else to wait for in this demo
  } catch (error) {
    group.cancel(); // without this, disposal would wait 5 s for the thumbnail
    throw error;
  }
}

const started = performance.now();
try {
  await handleUpload(true);
  throw new Error("handleUpload should have failed");
} catch (error) {
  console.log(`upload failed: ${(error as Error).message}`);
}
const elapsed = performance.now() - started;
console.log(log.join(", "));
if (log.join() !== "thumbnail cancelled") throw new Error(`unexpected log: ${log}`);
if (elapsed > 2_000) throw new Error(`the thumbnail was not cancelled (${elapsed} ms)`);
console.log("the child was cancelled and awaited before the block ended");
