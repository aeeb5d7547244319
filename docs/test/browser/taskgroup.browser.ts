// @corral/taskgroup in a real browser: structured children, error aggregation, cancellation of
// siblings, gather, race and the persistent group.
import { type CancelledError, isCancellation, sleep } from "@corral/cancel-core";
import { gather, PersistentTaskGroup, race, TaskGroupError, taskGroup } from "@corral/taskgroup";
import { assert, type Checks, deepEqual, delay, equal, rejection } from "./harness.js";

export const needs = {
  "@corral/taskgroup": ["taskGroup", "TaskGroup", "PersistentTaskGroup", "TaskGroupError", "gather", "race"],
};

export const checks: Checks = {
  async "taskGroup() resolves with the body's value only after every child has finished"() {
    const done: string[] = [];
    const value = await taskGroup(async (group) => {
      group.spawn(async () => {
        await delay(30);
        done.push("slow");
      });
      group.spawn(async () => {
        await delay(5);
        done.push("fast");
      });
      return "body";
    });
    equal(value, "body", "the body's value");
    deepEqual(done, ["fast", "slow"], "both children ran concurrently and finished first");
  },

  async "spawn() never runs the child synchronously"() {
    let started = false;
    await taskGroup((group) => {
      group.spawn(() => {
        started = true;
      });
      equal(started, false, "not started inside spawn()");
    });
    assert(started, "started later");
  },

  async "a failing child cancels its siblings and the group rejects with a TaskGroupError"() {
    const failure = new Error("child failed");
    const seen: unknown[] = [];
    const error = await rejection(
      taskGroup((group) => {
        group.spawn(async (signal) => {
          try {
            await sleep(1_000, { signal });
          } catch (reason) {
            seen.push(reason);
            throw reason;
          }
        });
        group.spawn(async () => {
          await delay(5);
          throw failure;
        });
      }),
      "taskGroup",
    );
    assert(error instanceof TaskGroupError && error instanceof AggregateError, "a TaskGroupError, which is an AggregateError");
    equal(error.name, "TaskGroupError", "its name");
    deepEqual(
      error.errors.map((e: Error) => e.message),
      ["child failed"],
      "only the real error, not the sibling's cancellation",
    );
    assert(seen.length === 1 && isCancellation(seen[0]), "the sibling saw a cancellation");
  },

  async "group.cancel() cancels every child and the group ends without an error"() {
    let cancelled = false;
    const value = await taskGroup(async (group) => {
      group.spawn(async (signal) => {
        await sleep(1_000, { signal }).catch((reason: unknown) => {
          cancelled = isCancellation(reason);
          throw reason;
        });
      });
      await delay(5);
      group.cancel("enough");
      await sleep(1_000, { signal: group.signal }); // the body's own work ends with the group's cancellation
      return "not reached";
    });
    equal(value, undefined, "resolves undefined when the body ends with the group's own cancellation");
    assert(cancelled, "the child was cancelled");
  },

  async "a parent signal's abort rejects the group with the parent's reason"() {
    const controller = new AbortController();
    const pending = rejection(
      taskGroup((group) => {
        group.spawn((signal) => sleep(1_000, { signal }));
      }, { signal: controller.signal }),
      "taskGroup",
    );
    await delay(5);
    controller.abort("navigated away");
    equal(await pending, "navigated away", "the parent's reason, unchanged");
  },

  async "a task nobody awaits never produces an unhandled rejection"() {
    await taskGroup((group) => {
      const task = group.spawn(async (signal) => {
        await sleep(1_000, { signal });
      });
      task.cancel("just this one");
    });
    await delay(20); // an unhandled rejection would be reported to the test here
  },

  async "gather() returns results in input order and cancels the rest on the first failure"() {
    const values = await gather([
      async () => {
        await delay(20);
        return "a";
      },
      async () => "b",
    ]);
    deepEqual(values, ["a", "b"], "input order");
    let cancelled = false;
    const error = await rejection(
      gather([
        async (signal: AbortSignal) => {
          await sleep(1_000, { signal }).catch((reason: unknown) => {
            cancelled = isCancellation(reason);
            throw reason;
          });
        },
        async () => {
          throw new Error("nope");
        },
      ]),
      "gather",
    );
    assert(error instanceof TaskGroupError, "a TaskGroupError");
    assert(cancelled, "the other function was cancelled");
  },

  async "race() resolves with the first fulfilment after its losers have settled"() {
    let loserSettled = false;
    const winner = await race([
      async (signal: AbortSignal) => {
        try {
          await sleep(1_000, { signal });
          return "slow";
        } finally {
          await delay(10);
          loserSettled = true;
        }
      },
      async () => {
        await delay(5);
        return "fast";
      },
    ]);
    equal(winner, "fast", "the first fulfilment wins");
    assert(loserSettled, "the loser had finished its cleanup");
    const empty = await rejection(race([]), "empty race");
    assert(empty instanceof RangeError, "an empty race rejects with RangeError");
  },

  async "a PersistentTaskGroup reports a failure to onError and cancels nothing"() {
    const reported: unknown[] = [];
    const group = new PersistentTaskGroup({ onError: (error) => void reported.push(error) });
    let survivorCancelled: CancelledError | undefined;
    const survivor = group.spawn(async (signal) => {
      await sleep(1_000, { signal }).catch((reason: CancelledError) => {
        survivorCancelled = reason;
        throw reason;
      });
    });
    const failing = group.spawn(async () => {
      await delay(5);
      throw new Error("one request failed");
    });
    const error = await rejection(failing, "the failed task");
    equal((error as Error).message, "one request failed", "awaiting the failed task rejects");
    await delay(5);
    equal(reported.length, 1, "onError saw the failure");
    equal(survivor.state, "running", "the sibling keeps running");
    await group.shutdown("closing");
    assert(survivorCancelled !== undefined && isCancellation(survivorCancelled), "shutdown() cancelled the survivor");
    equal(group.size, 0, "shutdown() waited for every child");
    assert(survivor.state === "cancelled", "the survivor ended cancelled");
  },
};
