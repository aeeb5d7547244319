// Fan out: one child per mirror. When one child fails, the group cancels its siblings, waits for
// them to clean up, and reports the failure as a TaskGroupError.
import { isCancelledError, sleep } from "@corral/cancel-core";
import { TaskGroupError, taskGroup } from "@corral/taskgroup";

const cleanedUp: string[] = [];

async function download(mirror: string, ms: number, signal: AbortSignal): Promise<string> {
  try {
    await sleep(ms, { signal });
    if (mirror === "mirror-b") throw new Error(`${mirror}: connection reset`);
    return `${mirror}: 200 OK`;
  } finally {
    if (signal.aborted) {
      cleanedUp.push(mirror);
      console.log(`${mirror} cancelled (${isCancelledError(signal.reason) ? "by the group" : "elsewhere"})`);
    }
  }
}

try {
  await taskGroup(async (group) => {
    group.spawn((signal) => download("mirror-a", 5_000, signal));
    group.spawn((signal) => download("mirror-b", 20, signal)); // fails first
    group.spawn((signal) => download("mirror-c", 5_000, signal));
  });
  throw new Error("the group should have failed");
} catch (error) {
  if (!(error instanceof TaskGroupError)) throw error;
  console.log(`failed: ${error.errors.map((e: Error) => e.message).join(", ")}`);
}

// By the time taskGroup() rejected, the siblings had already finished their cleanup.
if (cleanedUp.sort().join() !== "mirror-a,mirror-c") throw new Error(`siblings not cancelled: ${cleanedUp}`);
console.log("no child outlived the group");
