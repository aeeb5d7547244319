import { getEventListeners } from "node:events";
import { CancelScope, cancellable, checkpoint, now, sleep } from "@corral/cancel-core";
import { afterEach, describe, expect, it, vi } from "vitest";

const listeners = (signal: AbortSignal): number => getEventListeners(signal, "abort").length;

afterEach(() => {
  vi.useRealTimers();
});

describe("sleep()", () => {
  it("resolves after the given time", async () => {
    vi.useFakeTimers();
    let done = false;
    const sleeping = sleep(100).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(done).toBe(true);
  });

  it("rejects with the signal's reason as soon as it aborts, leaving no timer or listener", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const sleeping = sleep(60_000, { signal: controller.signal });
    expect(listeners(controller.signal)).toBe(1);
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
    expect(listeners(controller.signal)).toBe(0);
  });

  it("removes its listener when it resolves", async () => {
    const controller = new AbortController();
    await sleep(1, { signal: controller.signal });
    expect(listeners(controller.signal)).toBe(0);
  });

  it("rejects at once for an already-aborted signal", async () => {
    await expect(sleep(10, { signal: AbortSignal.abort("already") })).rejects.toBe("already");
  });

  it("waits for the signal alone when given Infinity", async () => {
    vi.useFakeTimers();
    const scope = new CancelScope();
    const sleeping = sleep(Number.POSITIVE_INFINITY, { signal: scope.signal });
    expect(vi.getTimerCount()).toBe(0);
    scope.cancel();
    await expect(sleeping).rejects.toBe(scope.signal.reason);
  });

  it("rejects bad durations synchronously", () => {
    expect(() => sleep(-1)).toThrow(RangeError);
    expect(() => sleep(Number.NaN)).toThrow(RangeError);
    expect(() => sleep("1" as unknown as number)).toThrow(TypeError);
    expect(() => sleep(1, { signal: "no" as unknown as AbortSignal })).toThrow(TypeError);
  });
});

describe("checkpoint()", () => {
  it("yields to a macrotask before resolving", async () => {
    const order: string[] = [];
    setTimeout(() => order.push("timer"), 0);
    const immediate = new Promise<void>((resolve) => setImmediate(() => resolve(void order.push("immediate"))));
    await checkpoint();
    order.push("checkpoint");
    await immediate;
    expect(order.indexOf("checkpoint")).toBeGreaterThan(0);
  });

  it("throws the reason of an aborted signal, every time", async () => {
    const signal = AbortSignal.abort("gone");
    await expect(checkpoint(signal)).rejects.toBe("gone");
    await expect(checkpoint(signal)).rejects.toBe("gone");
  });

  it("resolves for a live signal", async () => {
    await expect(checkpoint(new AbortController().signal)).resolves.toBeUndefined();
  });
});

describe("cancellable()", () => {
  it("settles like the promise when the signal stays quiet, and removes its listener", async () => {
    const controller = new AbortController();
    await expect(cancellable(Promise.resolve(3), controller.signal)).resolves.toBe(3);
    const error = new Error("no");
    await expect(cancellable(Promise.reject(error), controller.signal)).rejects.toBe(error);
    expect(listeners(controller.signal)).toBe(0);
  });

  it("rejects with the reason when the signal aborts first, and handles the late rejection", async () => {
    const unhandled = vi.fn();
    process.on("unhandledRejection", unhandled);
    try {
      const controller = new AbortController();
      let rejectLate!: (error: Error) => void;
      const late = new Promise<number>((_resolve, reject) => {
        rejectLate = reject;
      });
      const waiting = cancellable(late, controller.signal);
      controller.abort("bored");
      await expect(waiting).rejects.toBe("bored");
      rejectLate(new Error("late"));
      await sleep(10);
      expect(unhandled).not.toHaveBeenCalled();
      expect(listeners(controller.signal)).toBe(0);
    } finally {
      process.off("unhandledRejection", unhandled);
    }
  });

  it("rejects at once for an already-aborted signal", async () => {
    await expect(cancellable(new Promise(() => {}), AbortSignal.abort("x"))).rejects.toBe("x");
  });

  it("requires a signal", () => {
    expect(() => cancellable(Promise.resolve(), undefined as unknown as AbortSignal)).toThrow(TypeError);
  });
});

describe("now()", () => {
  it("is monotonic and in milliseconds", async () => {
    const start = now();
    await sleep(20);
    const elapsed = now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(15);
    expect(elapsed).toBeLessThan(5_000);
  });
});

describe("options and signal arguments", () => {
  it("are type-checked synchronously everywhere", () => {
    expect(() => checkpoint(123 as unknown as AbortSignal)).toThrow(TypeError);
    expect(() => checkpoint(null as unknown as AbortSignal)).toThrow(TypeError);
    expect(() => sleep(1, 5 as never)).toThrow(TypeError);
    expect(() => new CancelScope(5 as never)).toThrow(TypeError);
    expect(() => new CancelScope(null as never)).toThrow(TypeError);
  });
});
