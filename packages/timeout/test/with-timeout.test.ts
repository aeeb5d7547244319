import { getEventListeners } from "node:events";
import { setTimeout as delay } from "node:timers/promises";
import { CancelScope, isCancelledError, isTimeoutError, now, sleep } from "@corral/cancel-core";
import { moveOnAfter, moveOnAt, TimeoutError, withDeadline, withTimeout } from "@corral/timeout";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const listeners = (signal: AbortSignal): number => getEventListeners(signal, "abort").length;

/** Settle `promise` without letting an expected rejection go unhandled, and read its outcome. */
function outcome<T>(promise: Promise<T>): { readonly value?: T; readonly error?: unknown; readonly settled: boolean } {
  const state: { value?: T; error?: unknown; settled: boolean } = { settled: false };
  promise.then(
    (value) => {
      state.value = value;
      state.settled = true;
    },
    (error: unknown) => {
      state.error = error;
      state.settled = true;
    },
  );
  return state;
}

describe("withTimeout()", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("aborts the work's signal at the deadline and rejects with a TimeoutError whose cause is the CancelledError", async () => {
    let seen: AbortSignal | undefined;
    const result = outcome(
      withTimeout(100, async (signal) => {
        seen = signal;
        await sleep(1_000, { signal });
      }),
    );
    await vi.advanceTimersByTimeAsync(99);
    expect(seen!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen!.aborted).toBe(true);
    expect(isCancelledError(seen!.reason)).toBe(true);
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect(isTimeoutError(result.error)).toBe(true);
    expect((result.error as TimeoutError).name).toBe("TimeoutError");
    expect((result.error as TimeoutError).cause).toBe(seen!.reason);
  });

  it("resolves with the work's value when it finishes in time", async () => {
    await expect(withTimeout(100, async () => "done")).resolves.toBe("done");
    await expect(withTimeout(100, () => 42)).resolves.toBe(42);
  });

  it("clears its timer the moment the work settles", async () => {
    const fulfilled = withTimeout(60_000, async (signal) => {
      await sleep(10, { signal });
      return 1;
    });
    expect(vi.getTimerCount()).toBe(2);
    await vi.advanceTimersByTimeAsync(10);
    await expect(fulfilled).resolves.toBe(1);
    expect(vi.getTimerCount()).toBe(0);

    const rejected = outcome(
      withTimeout(60_000, async () => {
        throw new Error("boom");
      }),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(rejected.settled).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("lets a foreign error propagate unchanged, before and after expiry", async () => {
    const early = new Error("early");
    await expect(withTimeout(100, () => Promise.reject(early))).rejects.toBe(early);

    const late = new Error("database down");
    let timeout: { expired: boolean } | undefined;
    const result = outcome(
      withTimeout(10, async (_signal, handle) => {
        timeout = handle;
        await sleep(50); // ignores its signal
        throw late;
      }),
    );
    await vi.advanceTimersByTimeAsync(50);
    expect(timeout!.expired).toBe(true);
    expect(result.error).toBe(late);
  });

  it("turns a synchronous throw of the work into a rejection", async () => {
    const error = new Error("sync");
    const promise = withTimeout(10, () => {
      throw error;
    });
    await expect(promise).rejects.toBe(error);
  });

  it("returns the value of work that ignores its signal and fulfils after expiry, with expired true", async () => {
    let handle: { expired: boolean; state: string } | undefined;
    const result = outcome(
      withTimeout(10, async (_signal, timeout) => {
        handle = timeout;
        await sleep(50);
        return "late but here";
      }),
    );
    await vi.advanceTimersByTimeAsync(50);
    expect(result.value).toBe("late but here");
    expect(handle!.expired).toBe(true);
    expect(handle!.state).toBe("expired");
  });

  it("fires a 0 ms timeout on the next tick, never synchronously, and still starts the work", async () => {
    let started = false;
    let seen: AbortSignal | undefined;
    const result = outcome(
      withTimeout(0, async (signal) => {
        started = true;
        seen = signal;
        await sleep(1_000, { signal });
      }),
    );
    expect(started).toBe(true);
    expect(seen!.aborted).toBe(false);
    await Promise.resolve();
    await Promise.resolve();
    expect(seen!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(seen!.aborted).toBe(true);
    expect(result.error).toBeInstanceOf(TimeoutError);
  });

  it("converts an AbortError whose cause is its own cancellation (what Node's promise APIs reject with)", async () => {
    vi.useRealTimers();
    const error = await withTimeout(5, (signal) => delay(10_000, undefined, { signal })).catch((e: unknown) => e);
    expect(isTimeoutError(error)).toBe(true);
    expect(isCancelledError((error as TimeoutError).cause)).toBe(true);
  });

  it("removes its listener from options.signal once it settles", async () => {
    const controller = new AbortController();
    const running = withTimeout(100, (signal) => sleep(10, { signal }), { signal: controller.signal });
    expect(listeners(controller.signal)).toBe(1);
    await vi.advanceTimersByTimeAsync(10);
    await running;
    expect(listeners(controller.signal)).toBe(0);

    const expiring = outcome(withTimeout(5, (signal) => sleep(10, { signal }), { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(5);
    expect(expiring.error).toBeInstanceOf(TimeoutError);
    expect(listeners(controller.signal)).toBe(0);

    const aborted = outcome(withTimeout(100, (signal) => sleep(10, { signal }), { signal: controller.signal }));
    controller.abort(new Error("client gone"));
    await vi.advanceTimersByTimeAsync(0);
    expect(aborted.settled).toBe(true);
    expect(listeners(controller.signal)).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("withDeadline()", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("aborts the work's signal when the absolute deadline passes and rejects with a TimeoutError", async () => {
    let seen: AbortSignal | undefined;
    const deadline = now() + 30;
    const result = outcome(
      withDeadline(deadline, async (signal) => {
        seen = signal;
        await sleep(1_000, { signal });
      }),
    );
    await vi.advanceTimersByTimeAsync(29);
    expect(seen!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect((result.error as TimeoutError).cause).toBe(seen!.reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("fires a past deadline, negative included, on the next tick and still starts the work", async () => {
    for (const deadline of [now() - 1_000, -5]) {
      let seen: AbortSignal | undefined;
      const result = outcome(
        withDeadline(deadline, async (signal) => {
          seen = signal;
          await sleep(1_000, { signal });
        }),
      );
      expect(seen).toBeDefined();
      await Promise.resolve();
      expect(seen!.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(0);
      expect(result.error).toBeInstanceOf(TimeoutError);
    }
  });

  it("resolves with the work's value and clears its timer when the work finishes in time", async () => {
    const result = withDeadline(now() + 60_000, async () => "ok");
    await expect(result).resolves.toBe("ok");
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("ownership: only the owner converts", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("lets an outer timeout's cancellation pass through an inner timeout unchanged", async () => {
    let innerError: unknown;
    let outerSignal: AbortSignal | undefined;
    const result = outcome(
      withTimeout(10, (signal) => {
        outerSignal = signal;
        return withTimeout(1_000, (inner) => sleep(5_000, { signal: inner }), { signal }).catch((error: unknown) => {
          innerError = error;
          throw error;
        });
      }),
    );
    await vi.advanceTimersByTimeAsync(10);
    expect(isCancelledError(innerError)).toBe(true);
    expect(innerError).toBe(outerSignal!.reason);
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect((result.error as TimeoutError).cause).toBe(innerError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("lets a parent signal's cancellation pass through unchanged, whatever the reason", async () => {
    for (const reason of [new DOMException("gone", "AbortError"), "a string", new Error("shutdown")]) {
      const controller = new AbortController();
      let handle: { expired: boolean } | undefined;
      const result = outcome(
        withTimeout(
          100,
          (signal, timeout) => {
            handle = timeout;
            return sleep(1_000, { signal });
          },
          { signal: controller.signal },
        ),
      );
      controller.abort(reason);
      await vi.advanceTimersByTimeAsync(0);
      expect(result.error).toBe(reason);
      expect(handle!.expired).toBe(false);
    }
  });

  it("with two nested timeouts expiring together, the outermost converts and the inner lets the cancellation through", async () => {
    const deadline = now() + 10;
    let innerError: unknown;
    const handles: { expired: boolean }[] = [];
    let outerSignal: AbortSignal | undefined;
    const result = outcome(
      withDeadline(deadline, (signal, outer) => {
        outerSignal = signal;
        handles.push(outer);
        return withDeadline(
          deadline,
          (inner, timeout) => {
            handles.push(timeout);
            return sleep(1_000, { signal: inner });
          },
          { signal },
        ).catch((error: unknown) => {
          innerError = error;
          throw error;
        });
      }),
    );
    await vi.advanceTimersByTimeAsync(10);
    expect(innerError).toBe(outerSignal!.reason);
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect((result.error as TimeoutError).cause).toBe(outerSignal!.reason);
    expect(handles[0]!.expired).toBe(true);
  });

  it("when the inner timeout fires first and the outer expires before the work gives up, the outer converts", async () => {
    let innerError: unknown;
    let outerSignal: AbortSignal | undefined;
    const handles: { expired: boolean }[] = [];
    const result = outcome(
      withTimeout(20, (signal, outer) => {
        outerSignal = signal;
        handles.push(outer);
        return withTimeout(
          10,
          async (inner, timeout) => {
            handles.push(timeout);
            await sleep(30); // slow to react to its signal
            inner.throwIfAborted(); // throws the inner timeout's own CancelledError
          },
          { signal },
        ).catch((error: unknown) => {
          innerError = error;
          throw error;
        });
      }),
    );
    await vi.advanceTimersByTimeAsync(30);
    expect(handles.map((handle) => handle.expired)).toEqual([true, true]);
    expect(innerError).toBe(outerSignal!.reason);
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect((result.error as TimeoutError).cause).toBe(outerSignal!.reason);
  });

  it("a moveOnAfter inside a shorter withTimeout does not swallow the outer expiry", async () => {
    let moved: unknown = "not settled";
    const result = outcome(
      withTimeout(10, async (signal) => {
        moved = await moveOnAfter(1_000, (inner) => sleep(5_000, { signal: inner }), { signal });
      }),
    );
    await vi.advanceTimersByTimeAsync(10);
    expect(moved).toBe("not settled");
    expect(result.error).toBeInstanceOf(TimeoutError);
  });

  it("a CancelScope's cancellation passes through a timeout inside it and is swallowed by the scope", async () => {
    const scope = new CancelScope();
    let innerError: unknown;
    const run = scope.run((signal) =>
      withTimeout(100, (inner) => sleep(1_000, { signal: inner }), { signal }).catch((error: unknown) => {
        innerError = error;
        throw error;
      }),
    );
    scope.cancel("stop");
    await expect(run).resolves.toBeUndefined();
    expect(scope.owns(innerError)).toBe(true);
    expect(scope.cancelledCaught).toBe(true);
  });
});

describe("cleanup after a timeout fired", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a new timeout without a parent bounds cleanup inside a finally after the outer timeout fired", async () => {
    const log: string[] = [];
    let cleanupSignal: AbortSignal | undefined;
    const result = outcome(
      withTimeout(10, async (signal) => {
        try {
          await sleep(1_000, { signal });
        } finally {
          log.push("cleanup starts");
          await moveOnAfter(50, async (cleanup) => {
            cleanupSignal = cleanup;
            await sleep(1_000, { signal: cleanup }); // a cleanup that would hang
            log.push("cleanup finished");
          });
          log.push("cleanup bounded");
        }
      }),
    );
    await vi.advanceTimersByTimeAsync(10);
    expect(log).toEqual(["cleanup starts"]);
    expect(cleanupSignal!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(49);
    expect(result.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toEqual(["cleanup starts", "cleanup bounded"]);
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a cleanup that finishes in time runs to its end and the outer TimeoutError is still reported", async () => {
    const log: string[] = [];
    const result = outcome(
      withTimeout(10, async (signal) => {
        try {
          await sleep(1_000, { signal });
        } finally {
          await withTimeout(50, async (cleanup) => {
            await sleep(20, { signal: cleanup });
            log.push("rolled back");
          });
        }
      }),
    );
    await vi.advanceTimersByTimeAsync(30);
    expect(log).toEqual(["rolled back"]);
    expect(result.error).toBeInstanceOf(TimeoutError);
  });

  it("a timeout given the already-aborted outer signal starts cancelled and passes that reason through", async () => {
    const controller = new AbortController();
    const reason = new Error("outer cancelled");
    controller.abort(reason);
    let seen: AbortSignal | undefined;
    let handle: { expired: boolean; state: string } | undefined;
    const result = outcome(
      withTimeout(
        50,
        (signal, timeout) => {
          seen = signal;
          handle = timeout;
          return sleep(20, { signal });
        },
        { signal: controller.signal },
      ),
    );
    expect(seen!.aborted).toBe(true);
    expect(seen!.reason).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(result.error).toBe(reason);
    expect(handle!.expired).toBe(false);
    expect(handle!.state).toBe("finished");
  });
});

describe("moveOnAfter()", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("aborts the work's signal at the deadline and resolves undefined", async () => {
    let seen: AbortSignal | undefined;
    let handle: { expired: boolean } | undefined;
    const result = outcome(
      moveOnAfter(100, async (signal, timeout) => {
        seen = signal;
        handle = timeout;
        await sleep(1_000, { signal });
        return "never";
      }),
    );
    await vi.advanceTimersByTimeAsync(100);
    expect(seen!.aborted).toBe(true);
    expect(result.settled).toBe(true);
    expect(result.error).toBeUndefined();
    expect(result.value).toBeUndefined();
    expect(handle!.expired).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("resolves the work's value when it finishes in time", async () => {
    await expect(moveOnAfter(100, async () => "done")).resolves.toBe("done");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("lets a foreign error and a parent's cancellation propagate unchanged", async () => {
    const error = new Error("boom");
    await expect(moveOnAfter(100, () => Promise.reject(error))).rejects.toBe(error);

    const controller = new AbortController();
    const result = outcome(moveOnAfter(100, (signal) => sleep(1_000, { signal }), { signal: controller.signal }));
    controller.abort("parent");
    await vi.advanceTimersByTimeAsync(0);
    expect(result.error).toBe("parent");
    expect(listeners(controller.signal)).toBe(0);
  });

  it("fires a 0 ms timeout on the next tick, never synchronously, and still starts the work", async () => {
    let seen: AbortSignal | undefined;
    const result = outcome(
      moveOnAfter(0, (signal) => {
        seen = signal;
        return sleep(1_000, { signal });
      }),
    );
    expect(seen!.aborted).toBe(false);
    await Promise.resolve();
    expect(seen!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(result.settled).toBe(true);
    expect(result.value).toBeUndefined();
  });
});

describe("moveOnAt()", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("resolves undefined when the absolute deadline passes", async () => {
    const deadline = now() + 25;
    let handle: { deadline: number } | undefined;
    const result = outcome(
      moveOnAt(deadline, (signal, timeout) => {
        handle = timeout;
        return sleep(1_000, { signal }).then(() => "never");
      }),
    );
    expect(handle!.deadline).toBe(deadline);
    await vi.advanceTimersByTimeAsync(24);
    expect(result.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(result.settled).toBe(true);
    expect(result.value).toBeUndefined();
  });

  it("fires a past deadline on the next tick, never synchronously", async () => {
    let seen: AbortSignal | undefined;
    const result = outcome(
      moveOnAt(now() - 10, (signal) => {
        seen = signal;
        return sleep(1_000, { signal });
      }),
    );
    expect(seen!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(result.settled).toBe(true);
    expect(result.value).toBeUndefined();
  });
});

describe("argument checks", () => {
  const work = async (): Promise<number> => 1;

  it("throws a RangeError for a negative or NaN ms", () => {
    for (const ms of [-1, Number.NaN, Number.NEGATIVE_INFINITY]) {
      expect(() => withTimeout(ms, work)).toThrow(RangeError);
      expect(() => moveOnAfter(ms, work)).toThrow(RangeError);
    }
  });

  it("throws a RangeError for a NaN deadline and accepts a negative one", async () => {
    expect(() => withDeadline(Number.NaN, work)).toThrow(RangeError);
    expect(() => moveOnAt(Number.NaN, work)).toThrow(RangeError);
    await expect(withDeadline(-1, work)).resolves.toBe(1);
  });

  it("throws a TypeError for work that is not a function", () => {
    for (const fn of [undefined, null, 42, "work", Promise.resolve(1)]) {
      expect(() => withTimeout(10, fn as never)).toThrow(TypeError);
      expect(() => withDeadline(10, fn as never)).toThrow(TypeError);
      expect(() => moveOnAfter(10, fn as never)).toThrow(TypeError);
      expect(() => moveOnAt(10, fn as never)).toThrow(TypeError);
    }
  });

  it("throws a TypeError for a duration that is not a number or a signal that is not an AbortSignal", () => {
    expect(() => withTimeout("10" as never, work)).toThrow(TypeError);
    expect(() => withDeadline("10" as never, work)).toThrow(TypeError);
    expect(() => withTimeout(10, work, { signal: {} as never })).toThrow(TypeError);
    expect(() => moveOnAfter(10, work, { signal: "no" as never })).toThrow(TypeError);
  });

  it("names the bad argument in the message", () => {
    expect(() => withTimeout(-1, work)).toThrow(/ms/);
    expect(() => withDeadline(Number.NaN, work)).toThrow(/deadline/);
    expect(() => withTimeout(1, 1 as never)).toThrow(/fn/);
  });

  it("accepts Infinity as no limit", async () => {
    vi.useFakeTimers();
    try {
      const result = withTimeout(Number.POSITIVE_INFINITY, async (_signal, timeout) => timeout.deadline);
      expect(vi.getTimerCount()).toBe(0);
      await expect(result).resolves.toBe(Number.POSITIVE_INFINITY);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("options argument", () => {
  it("must be an object when given, for all four functions", () => {
    const work = async (): Promise<number> => 1;
    expect(() => withTimeout(1, work, 5 as never)).toThrow(TypeError);
    expect(() => withDeadline(1, work, "x" as never)).toThrow(TypeError);
    expect(() => moveOnAfter(1, work, null as never)).toThrow(TypeError);
    expect(() => moveOnAt(1, work, 5 as never)).toThrow(TypeError);
  });
});
