import { getEventListeners } from "node:events";
import { CancelScope, type CancelledError, isCancelledError, sleep } from "@corral/cancel-core";
import { TaskGroup, TaskGroupError, taskGroup } from "@corral/taskgroup";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deferred, flush, rejectionOf, untilCancelled } from "./helpers.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("taskGroup()", () => {
  it("resolves with the body's value after every child has settled", async () => {
    const finished: string[] = [];
    const gate = deferred();
    const result = taskGroup((group) => {
      group.spawn(async () => {
        await gate.promise;
        finished.push("child");
      });
      return "body value";
    });
    let settled = false;
    void result.then(() => {
      settled = true;
    });
    await flush();
    expect(settled).toBe(false);
    gate.resolve();
    await expect(result).resolves.toBe("body value");
    expect(finished).toEqual(["child"]);
  });

  it("aborts every sibling's signal and the body's signal with the group's own CancelledError when a child fails", async () => {
    const boom = new Error("boom");
    const siblingReasons: unknown[] = [];
    let bodyReason: unknown;
    let groupSignal: AbortSignal | undefined;
    const error = await rejectionOf(
      taskGroup(async (group) => {
        groupSignal = group.signal;
        for (let i = 0; i < 3; i++) {
          group.spawn(async (signal) => {
            try {
              await untilCancelled(signal);
            } finally {
              siblingReasons.push(signal.reason);
            }
          });
        }
        group.spawn(async () => {
          throw boom;
        });
        try {
          await untilCancelled(group.signal);
        } catch (reason) {
          bodyReason = reason;
          throw reason;
        }
      }),
    );
    expect(error).toBeInstanceOf(TaskGroupError);
    expect((error as TaskGroupError).errors).toEqual([boom]);
    const reason = groupSignal!.reason as CancelledError;
    expect(isCancelledError(reason)).toBe(true);
    expect(reason.scope?.name).toBe("TaskGroup");
    expect(reason.scope?.owns(reason)).toBe(true);
    expect(siblingReasons).toEqual([reason, reason, reason]);
    expect(bodyReason).toBe(reason);
  });

  it("waits for every sibling's cleanup before it rejects", async () => {
    const cleanup = deferred();
    let cleanedUp = false;
    const result = taskGroup((group) => {
      group.spawn(async (signal) => {
        try {
          await untilCancelled(signal);
        } finally {
          await cleanup.promise;
          cleanedUp = true;
        }
      });
      group.spawn(async () => {
        throw new Error("boom");
      });
    });
    let settled = false;
    result.catch(() => {
      settled = true;
    });
    await flush();
    expect(settled).toBe(false);
    cleanup.resolve();
    await expect(result).rejects.toBeInstanceOf(TaskGroupError);
    expect(cleanedUp).toBe(true);
  });

  it("lists the children's errors in completion order, followed by the body's error", async () => {
    const first = new Error("first");
    const second = new Error("second");
    const bodyError = new Error("body");
    const error = await rejectionOf(
      taskGroup(async (group) => {
        group.spawn(async (signal) => {
          await untilCancelled(signal).catch(() => undefined);
          await flush();
          throw second;
        });
        group.spawn(async () => {
          await flush();
          throw first;
        });
        await untilCancelled(group.signal).catch(() => undefined);
        throw bodyError;
      }),
    );
    expect((error as TaskGroupError).errors).toEqual([first, second, bodyError]);
  });

  it("reports a failure once when the body or a sibling rethrows the failed task's error", async () => {
    const boom = new Error("boom");
    const error = await rejectionOf(
      taskGroup(async (group) => {
        const failing = group.spawn(async () => {
          await flush();
          throw boom;
        });
        group.spawn(() => failing);
        await failing;
      }),
    );
    expect((error as TaskGroupError).errors).toEqual([boom]);
  });

  it("wraps a single child error in TaskGroupError", async () => {
    const boom = new TypeError("boom");
    const error = await rejectionOf(
      taskGroup((group) => {
        group.spawn(() => {
          throw boom;
        });
      }),
    );
    expect(error).toBeInstanceOf(TaskGroupError);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as TaskGroupError).name).toBe("TaskGroupError");
    expect((error as TaskGroupError).errors).toEqual([boom]);
  });

  it("wraps the body's error in TaskGroupError and cancels the children", async () => {
    const boom = new Error("body failed");
    let childReason: unknown;
    const error = await rejectionOf(
      taskGroup(async (group) => {
        group.spawn(async (signal) => {
          await untilCancelled(signal).catch((reason: unknown) => {
            childReason = reason;
          });
        });
        await flush();
        throw boom;
      }),
    );
    expect((error as TaskGroupError).errors).toEqual([boom]);
    expect(isCancelledError(childReason)).toBe(true);
  });

  it("turns a synchronous throw of the body into a rejection", async () => {
    const boom = new Error("sync body");
    const result = taskGroup(() => {
      throw boom;
    });
    expect(result).toBeInstanceOf(Promise);
    expect(((await rejectionOf(result)) as TaskGroupError).errors).toEqual([boom]);
  });

  it("nests a failed inner group as a TaskGroupError inside the outer group's TaskGroupError", async () => {
    const boom = new Error("inner child");
    const error = await rejectionOf(
      taskGroup((outer) => {
        outer.spawn((signal) =>
          taskGroup(
            (inner) => {
              inner.spawn(async () => {
                throw boom;
              });
            },
            { signal, name: "inner" },
          ),
        );
      }),
    );
    expect(error).toBeInstanceOf(TaskGroupError);
    const [innerError] = (error as TaskGroupError).errors;
    expect(innerError).toBeInstanceOf(TaskGroupError);
    expect((innerError as TaskGroupError).errors).toEqual([boom]);
  });

  it("counts no error for an inner group that only the outer group's cancellation ended", async () => {
    const boom = new Error("outer child");
    let innerOutcome: unknown;
    const error = await rejectionOf(
      taskGroup((outer) => {
        outer.spawn(async (signal) => {
          try {
            await taskGroup(
              (inner) => {
                inner.spawn((innerSignal) => untilCancelled(innerSignal));
              },
              { signal },
            );
          } catch (reason) {
            innerOutcome = reason;
            throw reason;
          }
        });
        outer.spawn(async () => {
          await flush();
          throw boom;
        });
      }),
    );
    expect((error as TaskGroupError).errors).toEqual([boom]);
    expect(isCancelledError(innerOutcome)).toBe(true);
  });

  it("does not count a child cancelled by the group as an error", async () => {
    await expect(
      taskGroup((group) => {
        group.spawn((signal) => untilCancelled(signal));
        group.spawn((signal) => untilCancelled(signal));
        group.cancel();
      }),
    ).resolves.toBeUndefined();
  });

  it("does not count a child ended by its own task.cancel() as an error, and leaves its siblings running", async () => {
    const sibling = deferred<string>();
    let siblingAborted: boolean | undefined;
    const result = await taskGroup(async (group) => {
      const victim = group.spawn((signal) => untilCancelled(signal), { name: "victim" });
      const other = group.spawn(async (signal) => {
        const value = await sibling.promise;
        siblingAborted = signal.aborted;
        return value;
      });
      victim.cancel("not needed");
      await expect(victim).rejects.toSatisfy(isCancelledError);
      expect(victim.state).toBe("cancelled");
      expect(group.signal.aborted).toBe(false);
      expect(other.state).toBe("running");
      sibling.resolve("sibling done");
      return await other;
    });
    expect(result).toBe("sibling done");
    expect(siblingAborted).toBe(false);
  });

  it("does not count a child rejecting with an AbortError as an error", async () => {
    await expect(
      taskGroup((group) => {
        group.spawn(async () => {
          throw new DOMException("aborted elsewhere", "AbortError");
        });
        return "ok";
      }),
    ).resolves.toBe("ok");
  });

  it("rejects with TaskGroupError, not the parent's reason, when children fail during cleanup after a parent abort", async () => {
    const parent = new AbortController();
    const cleanupError = new Error("cleanup failed");
    const result = taskGroup(
      (group) => {
        group.spawn(async (signal) => {
          try {
            await untilCancelled(signal);
          } finally {
            // biome-ignore lint/correctness/noUnsafeFinally: the point of the test
            throw cleanupError;
          }
        });
        group.spawn((signal) => untilCancelled(signal));
      },
      { signal: parent.signal },
    );
    await flush();
    parent.abort(new Error("parent gave up"));
    const error = await rejectionOf(result);
    expect(error).toBeInstanceOf(TaskGroupError);
    expect((error as TaskGroupError).errors).toEqual([cleanupError]);
    expect(parent.signal.aborted).toBe(true);
  });

  it("rejects with the parent's reason only after every child has settled, when nothing failed", async () => {
    const parent = new AbortController();
    const reason = new Error("shutting down");
    const cleanup = deferred();
    let childSawReason: unknown;
    const result = taskGroup(
      (group) => {
        group.spawn(async (signal) => {
          try {
            await untilCancelled(signal);
          } finally {
            childSawReason = signal.reason;
            await cleanup.promise;
          }
        });
      },
      { signal: parent.signal },
    );
    let settled = false;
    result.catch(() => {
      settled = true;
    });
    await flush();
    parent.abort(reason);
    await flush();
    expect(settled).toBe(false);
    expect(childSawReason).toBe(reason);
    cleanup.resolve();
    await expect(result).rejects.toBe(reason);
  });

  it("runs the body and rejects with the parent's reason when the parent signal is already aborted", async () => {
    const reason = new Error("too late");
    let childSignalAborted: boolean | undefined;
    const result = taskGroup(
      (group) => {
        group.spawn((signal) => {
          childSignalAborted = signal.aborted;
        });
        return "ignored";
      },
      { signal: AbortSignal.abort(reason) },
    );
    await expect(result).rejects.toBe(reason);
    expect(childSignalAborted).toBe(true);
  });

  it("ends without error after group.cancel(), once the children have settled", async () => {
    const cleanup = deferred();
    let cleanedUp = false;
    const result = taskGroup(async (group) => {
      group.spawn(async (signal) => {
        try {
          await untilCancelled(signal);
        } finally {
          await cleanup.promise;
          cleanedUp = true;
        }
      });
      await flush();
      group.cancel("done here");
      await untilCancelled(group.signal);
      return "unreachable";
    });
    await flush();
    expect(cleanedUp).toBe(false);
    cleanup.resolve();
    await expect(result).resolves.toBeUndefined();
    expect(cleanedUp).toBe(true);
  });

  it("resolves with the body's value after group.cancel() when the body returns normally", async () => {
    await expect(
      taskGroup((group) => {
        group.spawn((signal) => untilCancelled(signal));
        group.cancel();
        return 7;
      }),
    ).resolves.toBe(7);
  });

  it("does not swallow a parent cancellation that arrives after group.cancel()", async () => {
    const parent = new AbortController();
    const reason = new Error("parent cancelled meanwhile");
    const cleanup = deferred();
    const result = taskGroup(
      (group) => {
        group.spawn(async (signal) => {
          try {
            await untilCancelled(signal);
          } finally {
            await cleanup.promise;
          }
        });
        group.cancel();
      },
      { signal: parent.signal },
    );
    await flush();
    parent.abort(reason);
    cleanup.resolve();
    await expect(result).rejects.toBe(reason);
  });

  it("does not swallow an outer timeout that fires after group.cancel()", async () => {
    vi.useFakeTimers();
    const outer = new CancelScope({ timeout: 50, name: "outer" });
    const result = outer.run((signal) =>
      taskGroup(
        (group) => {
          group.spawn(async (childSignal) => {
            try {
              await untilCancelled(childSignal);
            } finally {
              await sleep(100); // slow cleanup, during which the outer deadline passes
            }
          });
          group.cancel();
          return "group value";
        },
        { signal },
      ),
    );
    await vi.advanceTimersByTimeAsync(200);
    await expect(result).resolves.toBeUndefined();
    expect(outer.cancelledCaught).toBe(true);
  });

  it("rejects with a foreign cancellation of the body after stopping the children", async () => {
    const foreign = new DOMException("body's own fetch aborted", "AbortError");
    let childReason: unknown;
    const error = await rejectionOf(
      taskGroup(async (group) => {
        group.spawn(async (signal) => {
          await untilCancelled(signal).catch((reason: unknown) => {
            childReason = reason;
          });
        });
        await flush();
        throw foreign;
      }),
    );
    expect(error).toBe(foreign);
    expect(isCancelledError(childReason)).toBe(true);
  });

  it("keeps the group open for children spawned by children, at any time until it settles", async () => {
    const order: string[] = [];
    await taskGroup((group) => {
      group.spawn(async () => {
        await flush();
        group.spawn(async () => {
          await flush();
          group.spawn(async () => {
            await flush();
            order.push("grandchild");
          });
          order.push("child");
        });
        order.push("parent");
      });
    });
    expect(order).toEqual(["parent", "child", "grandchild"]);
  });

  it("ends a hydra of thousands of self-spawning children cleanly when one of them fails", async () => {
    const boom = new Error("head cut off");
    const limit = 4000;
    let started = 0;
    let settledChildren = 0;
    let failed = false;
    let groupRef: TaskGroup | undefined;
    const head = async (signal: AbortSignal): Promise<void> => {
      started++;
      try {
        await null;
        if (!signal.aborted) {
          if (started >= limit && !failed) {
            failed = true;
            throw boom;
          }
          groupRef!.spawn(head);
          groupRef!.spawn(head);
        }
        await untilCancelled(signal);
      } finally {
        settledChildren++;
      }
    };
    const error = await rejectionOf(
      taskGroup((group) => {
        groupRef = group;
        group.spawn(head);
      }),
    );
    expect((error as TaskGroupError).errors).toEqual([boom]);
    expect(started).toBeGreaterThanOrEqual(limit);
    expect(settledChildren).toBe(started);
    expect(groupRef!.size).toBe(0);
  });

  it("throws Error from spawn() once the group has settled", async () => {
    let escaped: TaskGroup | undefined;
    await taskGroup((group) => {
      escaped = group;
    });
    expect(() => escaped!.spawn(async () => 1)).toThrow(Error);
  });

  it("starts a child spawned while the group is aborting, with an already aborted signal", async () => {
    let lateSignal: AbortSignal | undefined;
    let lateRan = false;
    const error = await rejectionOf(
      taskGroup((group) => {
        group.spawn(async (signal) => {
          try {
            await untilCancelled(signal);
          } finally {
            group.spawn((late) => {
              lateRan = true;
              lateSignal = late;
            });
          }
        });
        group.spawn(async () => {
          throw new Error("boom");
        });
      }),
    );
    expect(error).toBeInstanceOf(TaskGroupError);
    expect(lateRan).toBe(true);
    expect(lateSignal!.aborted).toBe(true);
    expect(isCancelledError(lateSignal!.reason)).toBe(true);
  });

  it("never runs user code inside spawn()", async () => {
    const calls: string[] = [];
    await taskGroup((group) => {
      group.spawn(() => {
        calls.push("no parameter");
      });
      group.spawn((_signal) => {
        calls.push("signal parameter");
      });
      calls.push("after spawn");
    });
    expect(calls).toEqual(["after spawn", "no parameter", "signal parameter"]);
  });

  it("treats a synchronous throw of a child as an ordinary child error", async () => {
    const boom = new Error("sync");
    let siblingReason: unknown;
    const error = await rejectionOf(
      taskGroup((group) => {
        group.spawn(async (signal) => {
          await untilCancelled(signal).catch((reason: unknown) => {
            siblingReason = reason;
          });
        });
        group.spawn(() => {
          throw boom;
        });
      }),
    );
    expect((error as TaskGroupError).errors).toEqual([boom]);
    expect(isCancelledError(siblingReason)).toBe(true);
  });

  it("treats a returned object whose then getter throws as a failure of that child only", async () => {
    const boom = new Error("then getter");
    let siblingRan = false;
    const error = await rejectionOf(
      taskGroup((group) => {
        group.spawn(() => ({
          // biome-ignore lint/suspicious/noThenProperty: a broken thenable is the point of the test
          get then(): never {
            throw boom;
          },
        }));
        group.spawn(() => {
          siblingRan = true;
        });
      }),
    );
    expect((error as TaskGroupError).errors).toEqual([boom]);
    expect(siblingRan).toBe(true);
  });

  it("leaves no listener on the parent signal once settled", async () => {
    const parent = new AbortController();
    await taskGroup(
      async (group) => {
        for (let i = 0; i < 10; i++) group.spawn((signal) => sleep(1, { signal }));
        expect(getEventListeners(parent.signal, "abort").length).toBeLessThanOrEqual(1);
      },
      { signal: parent.signal },
    );
    expect(getEventListeners(parent.signal, "abort")).toHaveLength(0);
    await rejectionOf(
      taskGroup(
        (group) => {
          group.spawn(async () => {
            throw new Error("boom");
          });
        },
        { signal: parent.signal },
      ),
    );
    expect(getEventListeners(parent.signal, "abort")).toHaveLength(0);
  });

  it("adds one listener at most to the parent signal, however many children it has", async () => {
    const parent = new AbortController();
    const gate = deferred();
    const result = taskGroup(
      (group) => {
        for (let i = 0; i < 1000; i++) {
          group.spawn(async (signal) => {
            await gate.promise;
            return signal.aborted;
          });
        }
      },
      { signal: parent.signal },
    );
    await flush();
    expect(getEventListeners(parent.signal, "abort").length).toBeLessThanOrEqual(1);
    gate.resolve();
    await result;
    expect(getEventListeners(parent.signal, "abort")).toHaveLength(0);
  });

  it("names its cancel scope after the group", async () => {
    let reason: unknown;
    await taskGroup(
      (group) => {
        group.cancel();
        reason = group.signal.reason;
      },
      { name: "fetchers" },
    );
    expect((reason as CancelledError).scope?.name).toBe("fetchers");
  });

  it("throws TypeError for a body that is not a function or a bad option", () => {
    expect(() => taskGroup("nope" as never)).toThrow(TypeError);
    expect(() => taskGroup(() => 1, { signal: {} as AbortSignal })).toThrow(TypeError);
    expect(() => taskGroup(() => 1, { name: 3 as never })).toThrow(TypeError);
  });

  it("throws TypeError from spawn() for a non-function", async () => {
    await taskGroup((group) => {
      expect(() => group.spawn(undefined as never)).toThrow(TypeError);
      expect(() => group.spawn(Promise.resolve(1) as never)).toThrow(TypeError);
      expect(() => group.spawn(async () => 1, { name: 1 as never })).toThrow(TypeError);
    });
  });
});

describe("TaskGroup with await using", () => {
  it("waits for every child at the end of the block", async () => {
    const gate = deferred();
    let finished = false;
    const block = async (): Promise<void> => {
      await using group = new TaskGroup();
      group.spawn(async () => {
        await gate.promise;
        finished = true;
      });
    };
    const done = block();
    await flush();
    expect(finished).toBe(false);
    gate.resolve();
    await done;
    expect(finished).toBe(true);
  });

  it("throws TaskGroupError at the end of the block when a child failed, after cancelling its siblings", async () => {
    const boom = new Error("boom");
    let siblingReason: unknown;
    const block = async (): Promise<void> => {
      await using group = new TaskGroup({ name: "block" });
      group.spawn(async (signal) => {
        await untilCancelled(signal).catch((reason: unknown) => {
          siblingReason = reason;
        });
      });
      group.spawn(async () => {
        throw boom;
      });
    };
    const error = await rejectionOf(block());
    expect(error).toBeInstanceOf(TaskGroupError);
    expect((error as TaskGroupError).errors).toEqual([boom]);
    expect((siblingReason as CancelledError).scope?.name).toBe("block");
  });

  it("does not cancel the children when the block throws, unless a catch calls group.cancel()", async () => {
    const blockError = new Error("block failed");
    const gate = deferred();
    let firstAborted: boolean | undefined;
    const withoutCancel = async (): Promise<void> => {
      await using group = new TaskGroup();
      group.spawn(async (signal) => {
        await gate.promise;
        firstAborted = signal.aborted;
      });
      throw blockError;
    };
    const first = withoutCancel();
    await flush();
    gate.resolve();
    expect(await rejectionOf(first)).toBe(blockError);
    expect(firstAborted).toBe(false);

    let secondReason: unknown;
    const withCancel = async (): Promise<void> => {
      await using group = new TaskGroup();
      try {
        group.spawn(async (signal) => {
          await untilCancelled(signal).catch((reason: unknown) => {
            secondReason = reason;
          });
        });
        throw blockError;
      } catch (error) {
        group.cancel();
        throw error;
      }
    };
    expect(await rejectionOf(withCancel())).toBe(blockError);
    expect(isCancelledError(secondReason)).toBe(true);
  });

  it("rejects with the parent's reason after the children settled, like taskGroup()", async () => {
    const parent = new AbortController();
    const reason = new Error("stop");
    const block = async (): Promise<void> => {
      await using group = new TaskGroup({ signal: parent.signal });
      group.spawn((signal) => untilCancelled(signal));
      parent.abort(reason);
    };
    expect(await rejectionOf(block())).toBe(reason);
    expect(getEventListeners(parent.signal, "abort")).toHaveLength(0);
  });

  it("returns the same promise when disposed twice, and refuses spawn() afterwards", async () => {
    const group = new TaskGroup();
    group.spawn(async () => 1);
    const first = group[Symbol.asyncDispose]();
    expect(group[Symbol.asyncDispose]()).toBe(first);
    await first;
    expect(() => group.spawn(async () => 2)).toThrow(Error);
  });

  it("counts running children in size", async () => {
    const gate = deferred();
    await using group = new TaskGroup();
    expect(group.size).toBe(0);
    const a = group.spawn(() => gate.promise);
    group.spawn(() => gate.promise);
    expect(group.size).toBe(2);
    gate.resolve();
    await a;
    await flush();
    expect(group.size).toBe(0);
  });

  it("makes cancel() a no-op once the group has settled", async () => {
    const group = new TaskGroup();
    await group[Symbol.asyncDispose]();
    group.cancel();
    expect(group.signal.aborted).toBe(false);
  });
});
