// gather(): Promise.all with structure. race(): the first fulfilment wins, and the losers are
// cancelled and awaited before race() resolves.
import { sleep } from "@corral/cancel-core";
import { gather, race, TaskGroupError } from "@corral/taskgroup";

const [user, orders] = await gather([
  async (signal) => {
    await sleep(20, { signal });
    return { name: "Ada" };
  },
  async (signal) => {
    await sleep(10, { signal });
    return ["order-1", "order-2"];
  },
]);
console.log(`gather: ${user.name} has ${orders.length} orders`);

let slowReplicaStopped = false;
const answer = await race([
  async (signal) => {
    try {
      await sleep(5_000, { signal });
      return "primary";
    } finally {
      slowReplicaStopped = signal.aborted;
    }
  },
  async (signal) => {
    await sleep(15, { signal });
    return "replica";
  },
]);
console.log(`race: ${answer} won; the slow one was stopped: ${slowReplicaStopped}`);
if (answer !== "replica" || !slowReplicaStopped) throw new Error("race() did not cancel and await the loser");

try {
  await gather([
    async () => {
      throw new Error("inventory service down");
    },
    (signal) => sleep(5_000, { signal }),
  ]);
  throw new Error("gather() should have failed");
} catch (error) {
  if (!(error instanceof TaskGroupError)) throw error;
  console.log(`gather failed fast: ${(error.errors[0] as Error).message}`);
}
