// A task group where one child fails: the failure cancels the siblings that are still running,
// the group waits until they have finished cleaning up, and only then rejects with a
// TaskGroupError that carries the failure. Nothing keeps running after the group settles.
import { isCancellation, sleep } from "@corral/cancel-core";
import { TaskGroupError, taskGroup } from "@corral/taskgroup";
import { expect, type Lane, Timeline } from "../../timelines/recorder.js";

const timeline = new Timeline("task-group-failure", "taskGroup(): one child fails, its siblings are cancelled");
const groupLane = timeline.lane("taskGroup(body)");

interface Child {
  name: string;
  /** ms of work; `fails` children throw when it is done. */
  work: number;
  fails?: boolean;
  /** ms of cleanup after a cancellation (closing a connection, say). */
  cleanup?: number;
}

const children: Child[] = [
  { name: "write audit entry", work: 60 },
  { name: "load orders", work: 140, fails: true },
  { name: "load profile", work: 300, cleanup: 50 },
  { name: "load recommendations", work: 400, cleanup: 25 },
];
const lanes = children.map((child) => timeline.lane(`spawn: ${child.name}`));

// #region group
function work(child: Child, lane: Lane) {
  return async (signal: AbortSignal): Promise<string> => {
    lane.start();
    try {
      await sleep(child.work, { signal });
    } catch (error) {
      if (!isCancellation(error)) throw error;
      lane.cancel();
      if (child.cleanup) {
        await sleep(child.cleanup); // cleanup that must finish: the group waits for it
        lane.settled("cleaned up");
      }
      throw error;
    }
    if (child.fails) {
      lane.fail("Error: orders service 502");
      throw new Error("orders service 502");
    }
    lane.ok();
    return child.name;
  };
}

groupLane.start();
const outcome = await taskGroup(async (group) => {
  children.forEach((child, index) => {
    group.spawn(work(child, lanes[index]!), { name: child.name });
  });
}).catch((error: unknown) => error);
groupLane.fail("rejects: TaskGroupError");
// #endregion

console.log("group rejected with:", String(outcome));
timeline.finish();

// What the picture promises. Lane 0 is the group; child i is lane i + 1.
const events = timeline.events();
const at = (lane: number, kind: string): number => events.find((event) => event.lane === lane && event.kind === kind)?.t ?? Number.NaN;
expect(outcome instanceof TaskGroupError, "the group rejects with a TaskGroupError");
const errors = (outcome as TaskGroupError).errors;
expect(errors.length === 1 && (errors[0] as Error).message === "orders service 502", "its only error is the failure");
expect(at(1, "ok") < at(2, "fail"), "the first child finished before the failure");
expect(at(3, "cancel") >= at(2, "fail") && at(4, "cancel") >= at(2, "fail"), "the failure cancelled the siblings");
expect(at(3, "cancel") < 300 && at(4, "cancel") < 300, "the siblings were cancelled long before their work was done");
expect(at(0, "fail") >= Math.max(at(3, "settled"), at(4, "settled")), "the group settled only after every child had");
