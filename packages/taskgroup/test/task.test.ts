import { inspect } from "node:util";
import { type CancelledError, isCancelledError } from "@corral/cancel-core";
import { type Task, TaskGroup, type TaskGroupError, taskGroup } from "@corral/taskgroup";
import { describe, expect, it } from "vitest";
import { deferred, flush, rejectionOf, untilCancelled, watchUnhandledRejections } from "./helpers.js";

describe("Task", () => {
  it("resolves to the child's value when awaited, before or after it settled", async () => {
    await taskGroup(async (group) => {
      const early = group.spawn(async () => "early");
      expect(await early).toBe("early");
      const late = group.spawn(() => 5);
      await flush();
      expect(late.state).toBe("fulfilled");
      expect(await late).toBe(5);
    });
  });

  it("rejects with the child's error for whoever awaits it, and the group still reports it", async () => {
    const boom = new Error("boom");
    let seen: unknown;
    const error = await rejectionOf(
      taskGroup(async (group) => {
        const task = group.spawn(async () => {
          throw boom;
        });
        seen = await rejectionOf(task);
        expect(task.state).toBe("rejected");
      }),
    );
    expect(seen).toBe(boom);
    expect((error as TaskGroupError).errors).toEqual([boom]);
  });

  it("never causes an unhandled rejection when nobody awaits it, or when it is awaited too", async () => {
    const watch = watchUnhandledRejections();
    const group = new TaskGroup();
    group.spawn(async () => {
      throw new Error("nobody awaits me");
    });
    const awaited = group.spawn(async () => {
      await flush();
      throw new Error("awaited as well");
    });
    await rejectionOf(awaited);
    await rejectionOf(group[Symbol.asyncDispose]());
    const late = rejectionOf(awaited); // awaiting a settled failed task again is fine too
    expect(await late).toBeInstanceOf(Error);
    expect(await watch.stop()).toEqual([]);
  });

  it("reports state running, then fulfilled, rejected or cancelled", async () => {
    const tasks: Task<unknown>[] = [];
    await taskGroup(async (group) => {
      const ok = group.spawn(async () => 1);
      const cancelled = group.spawn((signal) => untilCancelled(signal));
      tasks.push(ok, cancelled);
      expect(ok.state).toBe("running");
      await ok;
      expect(ok.state).toBe("fulfilled");
      cancelled.cancel();
      await rejectionOf(cancelled);
      expect(cancelled.state).toBe("cancelled");
    });
    let failed: Task<unknown> | undefined;
    await rejectionOf(
      taskGroup((group) => {
        failed = group.spawn(() => Promise.reject(new Error("x")));
      }),
    );
    expect(failed!.state).toBe("rejected");
  });

  it("follows a thenable that is not a native promise", async () => {
    const value = await taskGroup(async (group) => {
      const thenable = {
        // biome-ignore lint/suspicious/noThenProperty: a hand-made thenable is the point of the test
        then(resolve: (value: string) => void) {
          setImmediate(() => resolve("thenable value"));
        },
      } as PromiseLike<string>;
      const task = group.spawn(() => thenable);
      return await task;
    });
    expect(value).toBe("thenable value");
  });

  it("takes its name from the option, else the function, else \"task\"", async () => {
    await taskGroup((group) => {
      async function fetchUser(): Promise<void> {}
      expect(group.spawn(fetchUser, { name: "user-1" }).name).toBe("user-1");
      expect(group.spawn(fetchUser).name).toBe("fetchUser");
      expect(group.spawn(async () => {}).name).toBe("task");
    });
  });

  it("cancels only itself, with a CancelledError named after it that carries the reason", async () => {
    await taskGroup(async (group) => {
      const task = group.spawn((signal) => untilCancelled(signal), { name: "poller" });
      const other = group.spawn((signal) => untilCancelled(signal));
      task.cancel("enough");
      const reason = (await rejectionOf(task)) as CancelledError;
      expect(isCancelledError(reason)).toBe(true);
      expect(reason.reason).toBe("enough");
      expect(reason.scope?.name).toBe("poller");
      expect(task.signal.reason).toBe(reason);
      expect(other.signal.aborted).toBe(false);
      other.cancel();
    });
  });

  it("makes cancel() a no-op once settled", async () => {
    await taskGroup(async (group) => {
      const task = group.spawn(async (signal) => signal);
      const signal = await task;
      task.cancel();
      expect(signal.aborted).toBe(false);
      expect(task.state).toBe("fulfilled");
    });
  });

  it("gives each child its own signal, which aborts with the group's reason", async () => {
    await taskGroup(async (group) => {
      const a = group.spawn((signal) => untilCancelled(signal));
      const b = group.spawn((signal) => untilCancelled(signal));
      await flush();
      expect(a.signal).not.toBe(b.signal);
      expect(a.signal).not.toBe(group.signal);
      group.cancel("stop all");
      expect(a.signal.reason).toBe(group.signal.reason);
      expect(b.signal.reason).toBe(group.signal.reason);
    });
  });

  it("hands the task's own signal to a function that declares a parameter", async () => {
    await taskGroup(async (group) => {
      let received: AbortSignal | undefined;
      const task = group.spawn(async (signal) => {
        received = signal;
        return signal;
      });
      expect(await task).toBe(task.signal);
      expect(received).toBe(task.signal);
      expect(task.signal.aborted).toBe(false);
    });
  });

  it("keeps the aborted signal of a cancelled child after it settled", async () => {
    await taskGroup(async (group) => {
      let received: AbortSignal | undefined;
      const task = group.spawn(async (signal) => {
        received = signal;
        await untilCancelled(signal);
      });
      await flush();
      group.cancel();
      await rejectionOf(task);
      expect(task.signal).toBe(received);
      expect(task.signal.aborted).toBe(true);
    });
  });

  it("hands a function that declares no parameter the group's signal, and still offers task.signal", async () => {
    await taskGroup(async (group) => {
      let received: unknown[] | undefined;
      const gate = deferred();
      const task = group.spawn((...args: unknown[]) => {
        received = args;
        return gate.promise;
      });
      await flush();
      expect(received).toHaveLength(1);
      expect(received![0]).toBe(group.signal);
      const signal = task.signal;
      expect(signal).not.toBe(group.signal);
      expect(signal.aborted).toBe(false);
      expect(task.signal).toBe(signal);
      task.cancel("later");
      expect(signal.aborted).toBe(true);
      expect(group.signal.aborted).toBe(false);
      gate.resolve();
      await task;
      expect(task.state).toBe("fulfilled"); // it never looked at its signal
    });
  });

  it("creates the signal of a parameterless child already aborted when the group has aborted", async () => {
    await taskGroup(async (group) => {
      const gate = deferred();
      const task = group.spawn(() => gate.promise);
      group.cancel("group done");
      expect(task.signal.aborted).toBe(true);
      expect(task.signal.reason).toBe(group.signal.reason);
      gate.resolve();
    });
  });

  it("aborts the lazily created signal of a parameterless child when the group aborts later", async () => {
    await taskGroup(async (group) => {
      const gate = deferred();
      const task = group.spawn(() => gate.promise);
      const signal = task.signal;
      expect(signal.aborted).toBe(false);
      group.cancel();
      expect(signal.aborted).toBe(true);
      gate.resolve();
    });
  });

  it("gives a settled child a signal that no longer follows the group", async () => {
    await taskGroup(async (group) => {
      const task = group.spawn(() => 1);
      await task;
      const signal = task.signal;
      group.cancel();
      expect(signal.aborted).toBe(false);
    });
  });

  it("is awaitable with Promise.all and friends", async () => {
    const values = await taskGroup((group) =>
      Promise.all([group.spawn(async () => 1), group.spawn(() => "two"), group.spawn(async (signal) => signal.aborted)]),
    );
    expect(values).toEqual([1, "two", false]);
  });

  it("shows as [object Task], and as its name and state in Node's inspect", async () => {
    await taskGroup((group) => {
      const task = group.spawn(() => 1, { name: "shown" });
      expect(Object.prototype.toString.call(task)).toBe("[object Task]");
      expect(inspect(task)).toBe("Task { name: 'shown', state: 'running' }");
    });
  });
});
