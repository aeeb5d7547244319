import { getEventListeners } from "node:events";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { isCancelledError } from "@corral/cancel-core";
import { PersistentTaskGroup, type Task } from "@corral/taskgroup";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deferred, flush, rejectionOf, untilCancelled, watchUnhandledRejections } from "./helpers.js";

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

describe("PersistentTaskGroup", () => {
  it("hands a child's failure to onError and cancels nothing else", async () => {
    const boom = new Error("one request failed");
    const reports: [unknown, Task<unknown>][] = [];
    const group = new PersistentTaskGroup({ onError: (error, task) => void reports.push([error, task]) });
    const sibling = group.spawn((signal) => untilCancelled(signal));
    const failing = group.spawn(
      async () => {
        throw boom;
      },
      { name: "request-1" },
    );
    await flush();
    expect(reports).toEqual([[boom, failing]]);
    expect(reports[0]![1].name).toBe("request-1");
    expect(group.signal.aborted).toBe(false);
    expect(sibling.signal.aborted).toBe(false);
    expect(sibling.state).toBe("running");
    await group.shutdown();
  });

  it("still rejects for whoever awaits the failed task, without an unhandled rejection", async () => {
    const watch = watchUnhandledRejections();
    const boom = new Error("boom");
    const group = new PersistentTaskGroup({ onError: () => {} });
    const task = group.spawn(async () => {
      throw boom;
    });
    expect(await rejectionOf(task)).toBe(boom);
    group.spawn(async () => {
      throw new Error("nobody awaits this one");
    });
    await group[Symbol.asyncDispose]();
    expect(await watch.stop()).toEqual([]);
  });

  it("reports failures with reportError when there is no onError and the platform has it", async () => {
    const reportError = vi.fn();
    vi.stubGlobal("reportError", reportError);
    const boom = new Error("unhandled in a persistent group");
    const group = new PersistentTaskGroup();
    group.spawn(async () => {
      throw boom;
    });
    await group[Symbol.asyncDispose]();
    expect(reportError).toHaveBeenCalledWith(boom);
  });

  it("reports failures with console.error when there is no onError and no reportError", async () => {
    expect((globalThis as { reportError?: unknown }).reportError).toBeUndefined();
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
    const boom = new Error("printed");
    const group = new PersistentTaskGroup({ name: "server" });
    group.spawn(
      async () => {
        throw boom;
      },
      { name: "request-9" },
    );
    await group[Symbol.asyncDispose]();
    expect(consoleError).toHaveBeenCalledTimes(1);
    expect(consoleError.mock.calls[0]).toContain(boom);
    expect(String(consoleError.mock.calls[0]![0])).toContain("request-9");
  });

  it("reports an onError that throws, or rejects, the same way", async () => {
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
    const thrown = new Error("handler threw");
    const rejected = new Error("handler rejected");
    let calls = 0;
    const group = new PersistentTaskGroup({
      onError: async () => {
        calls++;
        if (calls === 1) throw rejected;
      },
    });
    const syncGroup = new PersistentTaskGroup({
      onError: () => {
        throw thrown;
      },
    });
    group.spawn(async () => {
      throw new Error("a");
    });
    syncGroup.spawn(async () => {
      throw new Error("b");
    });
    await group.shutdown();
    await syncGroup.shutdown();
    const printed = consoleError.mock.calls.flat();
    expect(printed).toContain(thrown);
    expect(printed).toContain(rejected);
  });

  it("does not report a child that ends with a cancellation", async () => {
    const onError = vi.fn();
    const group = new PersistentTaskGroup({ onError });
    const task = group.spawn((signal) => untilCancelled(signal));
    task.cancel();
    group.spawn((signal) => untilCancelled(signal));
    await group.shutdown("closing");
    expect(onError).not.toHaveBeenCalled();
  });

  it("cancels every child on shutdown() and resolves once all have settled", async () => {
    const cleanup = deferred();
    const reasons: unknown[] = [];
    const group = new PersistentTaskGroup({ name: "workers" });
    for (let i = 0; i < 3; i++) {
      group.spawn(async (signal) => {
        try {
          await untilCancelled(signal);
        } finally {
          reasons.push(signal.reason);
          await cleanup.promise;
        }
      });
    }
    await flush();
    let done = false;
    const shutdown = group.shutdown("bye");
    void shutdown.then(() => {
      done = true;
    });
    await flush();
    expect(reasons).toHaveLength(3);
    expect(isCancelledError(reasons[0])).toBe(true);
    expect((reasons[0] as { reason: unknown }).reason).toBe("bye");
    expect(done).toBe(false);
    cleanup.resolve();
    await shutdown;
    expect(group.size).toBe(0);
    expect(group.shutdown()).toBe(shutdown);
  });

  it("waits for pending onError handlers on shutdown()", async () => {
    const handler = deferred();
    let handled = false;
    const group = new PersistentTaskGroup({
      onError: async () => {
        await handler.promise;
        handled = true;
      },
    });
    group.spawn(async () => {
      throw new Error("x");
    });
    await flush();
    const shutdown = group.shutdown();
    await flush();
    expect(handled).toBe(false);
    handler.resolve();
    await shutdown;
    expect(handled).toBe(true);
  });

  it("throws Error from spawn() after shutdown() and after disposal", async () => {
    const stopped = new PersistentTaskGroup();
    void stopped.shutdown();
    expect(() => stopped.spawn(async () => 1)).toThrow(Error);
    const disposed = new PersistentTaskGroup();
    await disposed[Symbol.asyncDispose]();
    expect(() => disposed.spawn(async () => 1)).toThrow(Error);
  });

  it("waits for every child on disposal without cancelling them, and never throws their errors", async () => {
    const gate = deferred();
    let aborted: boolean | undefined;
    const block = async (): Promise<void> => {
      await using group = new PersistentTaskGroup({ onError: () => {} });
      group.spawn(async (signal) => {
        await gate.promise;
        aborted = signal.aborted;
        throw new Error("ignored by disposal");
      });
    };
    const done = block();
    await flush();
    expect(aborted).toBeUndefined();
    gate.resolve();
    await expect(done).resolves.toBeUndefined();
    expect(aborted).toBe(false);
  });

  it("counts running children in size", async () => {
    const gates = [deferred(), deferred()];
    const group = new PersistentTaskGroup();
    const a = group.spawn(() => gates[0]!.promise);
    group.spawn(() => gates[1]!.promise);
    expect(group.size).toBe(2);
    gates[0]!.resolve();
    await a;
    expect(group.size).toBe(1);
    gates[1]!.resolve();
    await group[Symbol.asyncDispose]();
    expect(group.size).toBe(0);
  });

  it("cancels its children when the parent signal aborts, and leaves no listener on it after shutdown", async () => {
    const parent = new AbortController();
    const group = new PersistentTaskGroup({ signal: parent.signal });
    const task = group.spawn((signal) => untilCancelled(signal));
    await flush();
    expect(getEventListeners(parent.signal, "abort")).toHaveLength(1);
    parent.abort("parent gone");
    expect(await rejectionOf(task)).toBe("parent gone");
    expect(task.state).toBe("cancelled");
    await group.shutdown();
    expect(getEventListeners(parent.signal, "abort")).toHaveLength(0);
  });

  it("retains nothing per finished child, however many it ran", async () => {
    const group = new PersistentTaskGroup();
    const refs: WeakRef<object>[] = [];
    const signals: WeakRef<object>[] = [];
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 500; i++) {
        const task = group.spawn(async (signal) => {
          await null;
          return signal.aborted;
        });
        if (i % 50 === 0) {
          refs.push(new WeakRef(task));
          signals.push(new WeakRef(task.signal));
        }
      }
      await flush();
    }
    expect(group.size).toBe(0);
    collectGarbage();
    await flush();
    collectGarbage();
    expect(refs.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    expect(signals.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    await group.shutdown();
  });

  it("throws TypeError for a non-function, a bad onError or a bad signal", () => {
    expect(() => new PersistentTaskGroup({ onError: "log" as never })).toThrow(TypeError);
    expect(() => new PersistentTaskGroup({ signal: "x" as never })).toThrow(TypeError);
    const group = new PersistentTaskGroup();
    expect(() => group.spawn(42 as never)).toThrow(TypeError);
  });
});
