import { now, sleep } from "@corral/cancel-core";
import { moveOnAfter, type Timeout, TimeoutError, withDeadline, withTimeout } from "@corral/timeout";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

/** Run `withTimeout` and hand back its Timeout handle along with the promise. */
function start<T>(
  ms: number,
  fn: (signal: AbortSignal, timeout: Timeout) => Promise<T>,
): { promise: Promise<T>; timeout: Timeout; outcome: { error?: unknown; value?: T; settled: boolean } } {
  let handle: Timeout | undefined;
  const promise = withTimeout(ms, (signal, timeout) => {
    handle = timeout;
    return fn(signal, timeout);
  });
  const outcome: { error?: unknown; value?: T; settled: boolean } = { settled: false };
  promise.then(
    (value) => Object.assign(outcome, { value, settled: true }),
    (error: unknown) => Object.assign(outcome, { error, settled: true }),
  );
  return { promise, timeout: handle!, outcome };
}

describe("Timeout handle", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("exposes the absolute deadline on now()'s clock", async () => {
    const before = now();
    const { timeout, promise } = start(100, (signal) => sleep(1, { signal }));
    expect(timeout.deadline).toBe(before + 100);
    await vi.advanceTimersByTimeAsync(1);
    await promise;
    expect(timeout.deadline).toBe(before + 100);

    const deadline = now() + 500;
    let seen: number | undefined;
    await withDeadline(deadline, (_signal, handle) => {
      seen = handle.deadline;
    });
    expect(seen).toBe(deadline);
  });

  it("is active while the work runs and finished once it settled in time", async () => {
    const { timeout, promise } = start(100, (signal) => sleep(10, { signal }));
    expect(timeout.state).toBe("active");
    expect(timeout.expired).toBe(false);
    await vi.advanceTimersByTimeAsync(10);
    await promise;
    expect(timeout.state).toBe("finished");
    expect(timeout.expired).toBe(false);
  });

  it("is finished after the work rejected with its own error in time", async () => {
    const { timeout, outcome } = start(100, async () => {
      throw new Error("boom");
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome.settled).toBe(true);
    expect(timeout.state).toBe("finished");
  });

  it("is expired from the moment the deadline fires, and stays expired after the work settles", async () => {
    const { timeout, outcome } = start(10, async () => {
      await sleep(50); // ignores its signal
      return "late";
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(outcome.settled).toBe(false);
    expect(timeout.state).toBe("expired");
    expect(timeout.expired).toBe(true);
    await vi.advanceTimersByTimeAsync(40);
    expect(outcome.value).toBe("late");
    expect(timeout.state).toBe("expired");
  });

  it("reschedule() pushes the deadline back while active", async () => {
    const { timeout, outcome } = start(100, async (signal, handle) => {
      await sleep(80, { signal });
      handle.reschedule(now() + 100);
      await sleep(80, { signal });
      return "made it";
    });
    await vi.advanceTimersByTimeAsync(80);
    expect(timeout.deadline).toBe(now() + 100);
    await vi.advanceTimersByTimeAsync(80);
    expect(outcome.value).toBe("made it");
    expect(timeout.expired).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("reschedule() brings the deadline forward while active", async () => {
    const { timeout, outcome } = start(1_000, (signal) => sleep(5_000, { signal }));
    timeout.reschedule(now() + 10);
    await vi.advanceTimersByTimeAsync(10);
    expect(outcome.error).toBeInstanceOf(TimeoutError);
    expect(timeout.expired).toBe(true);
  });

  it("reschedule() to a past deadline fires on the next tick, never synchronously", async () => {
    let seen: AbortSignal | undefined;
    const { timeout, outcome } = start(1_000, (signal) => {
      seen = signal;
      return sleep(5_000, { signal });
    });
    timeout.reschedule(now() - 1);
    expect(seen!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(seen!.aborted).toBe(true);
    expect(outcome.error).toBeInstanceOf(TimeoutError);
  });

  it("reschedule(Infinity) disables the deadline", async () => {
    const { timeout, outcome } = start(10, (signal) => sleep(1_000, { signal }).then(() => "no limit"));
    timeout.reschedule(Number.POSITIVE_INFINITY);
    expect(timeout.deadline).toBe(Number.POSITIVE_INFINITY);
    expect(vi.getTimerCount()).toBe(1); // the sleep only
    await vi.advanceTimersByTimeAsync(1_000);
    expect(outcome.value).toBe("no limit");
    expect(timeout.expired).toBe(false);
  });

  it("reschedule() throws an Error once the timeout finished", async () => {
    const { timeout, promise } = start(100, async () => "done");
    await promise;
    expect(timeout.state).toBe("finished");
    expect(() => timeout.reschedule(now() + 100)).toThrow(Error);
    expect(() => timeout.reschedule(now() + 100)).toThrow(/finished/);
  });

  it("reschedule() throws an Error once the timeout expired", async () => {
    const { timeout, outcome } = start(10, async () => {
      await sleep(50);
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(() => timeout.reschedule(now() + 1_000)).toThrow(/expired/);
    await vi.advanceTimersByTimeAsync(40);
    expect(outcome.settled).toBe(true);
  });

  it("reschedule() rejects a NaN or non-number deadline", async () => {
    const { timeout, promise } = start(100, async (signal) => {
      await sleep(1, { signal });
    });
    expect(() => timeout.reschedule(Number.NaN)).toThrow(RangeError);
    expect(() => timeout.reschedule("soon" as never)).toThrow(TypeError);
    expect(timeout.state).toBe("active");
    await vi.advanceTimersByTimeAsync(1);
    await promise;
  });

  it("moveOnAfter hands out the same kind of handle", async () => {
    let handle: Timeout | undefined;
    const result = moveOnAfter(5, (signal, timeout) => {
      handle = timeout;
      return sleep(100, { signal });
    });
    expect(handle!.state).toBe("active");
    await vi.advanceTimersByTimeAsync(5);
    await expect(result).resolves.toBeUndefined();
    expect(handle!.state).toBe("expired");
  });
});
