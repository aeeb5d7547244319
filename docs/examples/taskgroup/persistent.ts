// A long-lived group for a server: one child per request. A failing request is reported to
// onError and stops nothing else; shutdown() cancels whatever is still running and waits for it.
import { sleep } from "@corral/cancel-core";
import { PersistentTaskGroup } from "@corral/taskgroup";

const failures: string[] = [];
const requests = new PersistentTaskGroup({
  name: "requests",
  onError: (error, task) => {
    failures.push(task.name);
    console.log(`${task.name} failed: ${(error as Error).message}`);
  },
});

let served = 0;
for (let id = 1; id <= 5; id++) {
  requests.spawn(
    async (signal) => {
      await sleep(10 * id, { signal });
      if (id === 2) throw new Error("bad request body");
      served++;
    },
    { name: `request-${id}` },
  );
}
const longPoll = requests.spawn((signal) => sleep(60_000, { signal }), { name: "long-poll" });

while (requests.size > 1) await sleep(5); // let the five requests finish; long-poll stays
console.log(`served ${served}, still running ${requests.size}`);
await requests.shutdown("server is stopping");
console.log(`long-poll ended as ${longPoll.state}; running after shutdown: ${requests.size}`);

if (served !== 4 || failures.join() !== "request-2") throw new Error(`unexpected outcome: ${served} ${failures}`);
if (longPoll.state !== "cancelled" || requests.size !== 0) throw new Error("shutdown left work running");
