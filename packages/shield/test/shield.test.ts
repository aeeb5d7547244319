import { getEventListeners } from "node:events";
import { setTimeout as delay } from "node:timers/promises";
import { CancelScope, isCancelledError, isTimeoutError, sleep, TimeoutError } from "@corral/cancel-core";
import { shield } from "@corral/shield";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const listeners = (signal: AbortSignal): number => getEventListeners(signal, "abort").length;

/** Read a promise's outcome without leaving an expected rejection unhandled. */
function outcome<T>(promise: Promise<T>): { readonly value?: T; readonly error?: unknown; readonly settled: boolean } {
  const state: { value?: T; error?: unknown; settled: boolean } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { value, settled: true }),
    (error: unknown) => Object.assign(state, { error, settled: true }),
  );
  return state;
}

describe("shield()", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps the work's signal unaborted when options.signal aborts, runs the work to its end, then rejects with the same reason", async () => {
    const controller = new AbortController();
    const reason = new Error("client disconnected");
    const log: string[] = [];
    let inner: AbortSignal | undefined;
    const result = outcome(
      shield(
        async (signal) => {
          inner = signal;
          await sleep(10, { signal });
          log.push("step 1");
          await sleep(10, { signal });
          log.push("step 2");
          return "committed";
        },
        { signal: controller.signal },
      ),
    );
    await vi.advanceTimersByTimeAsync(5);
    controller.abort(reason);
    expect(inner!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(5);
    expect(log).toEqual(["step 1"]);
    expect(result.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(10);
    expect(log).toEqual(["step 1", "step 2"]);
    expect(inner!.aborted).toBe(false);
    expect(result.error).toBe(reason);
  });

  it("resolves with the work's value when options.signal never aborts", async () => {
    const controller = new AbortController();
    await expect(shield(async () => 42, { signal: controller.signal })).resolves.toBe(42);
    await expect(shield(() => "sync")).resolves.toBe("sync");
  });

  it("lets the work's own error win over the deferred cancellation", async () => {
    const controller = new AbortController();
    const error = new Error("constraint violated");
    const result = outcome(
      shield(
        async () => {
          await sleep(10);
          throw error;
        },
        { signal: controller.signal },
      ),
    );
    controller.abort(new Error("client disconnected"));
    await vi.advanceTimersByTimeAsync(10);
    expect(result.error).toBe(error);
  });

  it("turns a synchronous throw of the work into a rejection", async () => {
    const error = new Error("sync");
    await expect(
      shield(() => {
        throw error;
      }),
    ).rejects.toBe(error);
  });

  it("still applies options.timeout inside the shield and rejects with a TimeoutError", async () => {
    let inner: AbortSignal | undefined;
    const result = outcome(
      shield(
        (signal) => {
          inner = signal;
          return sleep(1_000, { signal });
        },
        { timeout: 50 },
      ),
    );
    await vi.advanceTimersByTimeAsync(49);
    expect(inner!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(inner!.aborted).toBe(true);
    expect(isTimeoutError(result.error)).toBe(true);
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect((result.error as TimeoutError).cause).toBe(inner!.reason);
    expect(isCancelledError(inner!.reason)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("reports its own timeout as a TimeoutError even when options.signal aborted too", async () => {
    const controller = new AbortController();
    const result = outcome(shield((signal) => sleep(1_000, { signal }), { signal: controller.signal, timeout: 50 }));
    controller.abort(new Error("client disconnected"));
    await vi.advanceTimersByTimeAsync(50);
    expect(result.error).toBeInstanceOf(TimeoutError);
  });

  it("returns the value of work that ignores its timeout, then delivers a deferred cancellation", async () => {
    const controller = new AbortController();
    const result = outcome(
      shield(
        async () => {
          await sleep(100);
          return "done anyway";
        },
        { timeout: 10 },
      ),
    );
    await vi.advanceTimersByTimeAsync(100);
    expect(result.value).toBe("done anyway");

    const deferred = outcome(shield(() => sleep(100).then(() => "x"), { signal: controller.signal, timeout: 10 }));
    controller.abort("late");
    await vi.advanceTimersByTimeAsync(100);
    expect(deferred.error).toBe("late");
  });

  it("clears its timeout timer the moment the work settles", async () => {
    const result = shield((signal) => sleep(10, { signal }).then(() => "ok"), { timeout: 60_000 });
    expect(vi.getTimerCount()).toBe(2);
    await vi.advanceTimersByTimeAsync(10);
    await expect(result).resolves.toBe("ok");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("converts an AbortError whose cause is its own timeout (what Node's promise APIs reject with)", async () => {
    vi.useRealTimers();
    const error = await shield((signal) => delay(10_000, undefined, { signal }), { timeout: 5 }).catch((e: unknown) => e);
    expect(isTimeoutError(error)).toBe(true);
  });

  it("runs the work when options.signal is already aborted, then delivers the cancellation", async () => {
    const controller = new AbortController();
    const reason = new Error("already cancelled");
    controller.abort(reason);
    const log: string[] = [];
    let inner: AbortSignal | undefined;
    const result = outcome(
      shield(
        async (signal) => {
          inner = signal;
          await sleep(10, { signal });
          log.push("rolled back");
        },
        { signal: controller.signal },
      ),
    );
    expect(inner!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(10);
    expect(log).toEqual(["rolled back"]);
    expect(result.error).toBe(reason);
  });

  it("supports the finally { await shield(cleanup, { signal }) } idiom", async () => {
    const controller = new AbortController();
    const log: string[] = [];
    const job = async (signal: AbortSignal): Promise<void> => {
      try {
        log.push("work");
        await sleep(1_000, { signal });
      } finally {
        await shield(
          async (inner) => {
            await sleep(20, { signal: inner });
            log.push("cleanup done");
          },
          { signal },
        );
      }
    };
    const reason = new Error("stop");
    const result = outcome(job(controller.signal));
    await vi.advanceTimersByTimeAsync(5);
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(19);
    expect(log).toEqual(["work"]);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toEqual(["work", "cleanup done"]);
    expect(result.error).toBe(reason);
  });

  it("leaves no listener on options.signal once it settles", async () => {
    const controller = new AbortController();
    const running = shield((signal) => sleep(10, { signal }), { signal: controller.signal, timeout: 100 });
    await vi.advanceTimersByTimeAsync(10);
    await running;
    expect(listeners(controller.signal)).toBe(0);

    const cancelled = outcome(shield((signal) => sleep(10, { signal }), { signal: controller.signal }));
    controller.abort("stop");
    await vi.advanceTimersByTimeAsync(10);
    expect(cancelled.error).toBe("stop");
    expect(listeners(controller.signal)).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("delivers an outer cancellation once, after the outermost of nested shields ends", async () => {
    const controller = new AbortController();
    const reason = new Error("client disconnected");
    const log: string[] = [];
    let innerSettled: unknown = "pending";
    const result = outcome(
      shield(
        async (outerShield) => {
          innerSettled = await shield(
            async (innerShield) => {
              await sleep(10, { signal: innerShield });
              log.push("inner done");
              return "inner value";
            },
            { signal: outerShield },
          );
          await sleep(10, { signal: outerShield });
          log.push("outer done");
        },
        { signal: controller.signal },
      ),
    );
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(10);
    expect(log).toEqual(["inner done"]);
    expect(innerSettled).toBe("inner value");
    expect(result.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(10);
    expect(log).toEqual(["inner done", "outer done"]);
    expect(result.error).toBe(reason);
  });

  it("inside a CancelScope: defers the scope's cancellation to the end of the shield, and the scope swallows it", async () => {
    const scope = new CancelScope({ name: "request" });
    const log: string[] = [];
    let shieldError: unknown;
    const run = outcome(
      scope.run(async (signal) => {
        await shield(
          async (inner) => {
            await sleep(20, { signal: inner });
            log.push("transaction committed");
          },
          { signal },
        ).catch((error: unknown) => {
          shieldError = error;
          throw error;
        });
        log.push("never reached");
      }),
    );
    await vi.advanceTimersByTimeAsync(5);
    scope.cancel("client disconnected");
    await vi.advanceTimersByTimeAsync(15);
    expect(log).toEqual(["transaction committed"]);
    expect(scope.owns(shieldError)).toBe(true);
    expect(run.settled).toBe(true);
    expect(run.value).toBeUndefined();
    expect(scope.cancelledCaught).toBe(true);
  });

  it("does not defer a cancellation from a scope created inside the shield", async () => {
    const controller = new AbortController();
    controller.abort("outer");
    const log: string[] = [];
    const result = outcome(
      shield(
        async (signal) => {
          const inner = new CancelScope({ signal, timeout: 5 });
          await inner.run((innerSignal) => sleep(1_000, { signal: innerSignal }));
          log.push(`inner scope cancelled at once: ${inner.cancelledCaught}`);
          const manual = new CancelScope({ signal });
          manual.cancel("from inside");
          manual.signal.throwIfAborted();
        },
        { signal: controller.signal },
      ),
    );
    await vi.advanceTimersByTimeAsync(5);
    expect(log).toEqual(["inner scope cancelled at once: true"]);
    expect(result.settled).toBe(true);
    // The inside cancellation escaped fn as its rejection: it wins over the deferred "outer".
    expect(isCancelledError(result.error)).toBe(true);
    expect((result.error as { reason: unknown }).reason).toBe("from inside");
  });

  it("a nested shield given the outer shield's signal holds back the outer shield's own timeout until it ends", async () => {
    const log: string[] = [];
    const result = outcome(
      shield(
        async (outer) => {
          await shield(
            async (inner) => {
              await sleep(50, { signal: inner });
              log.push("inner finished");
            },
            { signal: outer },
          );
          log.push("never reached");
        },
        { timeout: 10 },
      ),
    );
    await vi.advanceTimersByTimeAsync(10);
    expect(log).toEqual([]);
    await vi.advanceTimersByTimeAsync(40);
    expect(log).toEqual(["inner finished"]);
    expect(result.error).toBeInstanceOf(TimeoutError);
  });
});

describe("shield() argument checks", () => {
  it("throws a TypeError for work that is not a function", () => {
    for (const fn of [undefined, null, 1, "fn", Promise.resolve()]) {
      expect(() => shield(fn as never)).toThrow(TypeError);
    }
    expect(() => shield(1 as never)).toThrow(/fn/);
  });

  it("throws a RangeError for a negative or NaN timeout", () => {
    for (const timeout of [-1, Number.NaN]) {
      expect(() => shield(async () => 1, { timeout })).toThrow(RangeError);
    }
    expect(() => shield(async () => 1, { timeout: -1 })).toThrow(/options\.timeout/);
  });

  it("throws a TypeError for a timeout that is not a number or a signal that is not an AbortSignal", () => {
    expect(() => shield(async () => 1, { timeout: "5" as never })).toThrow(TypeError);
    expect(() => shield(async () => 1, { signal: {} as never })).toThrow(TypeError);
  });

  it("accepts Infinity as no limit", async () => {
    await expect(shield(async () => "ok", { timeout: Number.POSITIVE_INFINITY })).resolves.toBe("ok");
  });
});

describe("shield() options argument", () => {
  it("must be an object when given", () => {
    expect(() => shield(async () => 1, 5 as never)).toThrow(TypeError);
  });
});
