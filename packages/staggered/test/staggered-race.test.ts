import { getEventListeners } from "node:events";
import { CancelledError, isCancelledError, sleep } from "@corral/cancel-core";
import { StaggeredRaceError, staggeredRace } from "@corral/staggered";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { deferred } from "./helpers.js";

/** Attempts that record when they start (ms since `t0`, on the faked clock) and their signals. */
function recorder() {
  const t0 = performance.now();
  const starts: number[] = [];
  const signals: AbortSignal[] = [];
  const attempt =
    <T>(body: (signal: AbortSignal) => Promise<T>) =>
    (signal: AbortSignal): Promise<T> => {
      starts.push(performance.now() - t0);
      signals.push(signal);
      return body(signal);
    };
  return { starts, signals, attempt };
}

/** Succeeds with `value` after `ms`, honouring its signal. */
const ok =
  <T>(ms: number, value: T) =>
  async (signal: AbortSignal): Promise<T> => {
    await sleep(ms, { signal });
    return value;
  };

/** Fails with `error` after `ms`, honouring its signal. */
const fail =
  (ms: number, error: unknown) =>
  async (signal: AbortSignal): Promise<never> => {
    await sleep(ms, { signal });
    throw error;
  };

/** Settles the promise's state into a flag, so a test can look without awaiting. */
function track<T>(promise: Promise<T>): { settled: boolean; promise: Promise<T> } {
  const state = { settled: false, promise };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

describe("staggeredRace()", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
  });

  describe("start times", () => {
    it("starts attempts 0, 250 and 500 ms apart and lets the third win at 700 ms (trio's expectations)", async () => {
      const { starts, attempt } = recorder();
      const race = track(staggeredRace([attempt(ok(1000, "a")), attempt(ok(1000, "b")), attempt(ok(200, "c"))], { delay: 250 }));
      await vi.advanceTimersByTimeAsync(699);
      expect(race.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(race.settled).toBe(true);
      const result = await race.promise;
      expect(starts).toEqual([0, 250, 500]);
      expect(result.value).toBe("c");
      expect(result.index).toBe(2);
      expect(result.errors).toHaveLength(3);
      expect(isCancelledError(result.errors[0])).toBe(true);
      expect(isCancelledError(result.errors[1])).toBe(true);
      expect(result.errors[2]).toBeUndefined();
    });

    it("uses a delay of 250 ms by default", async () => {
      const { starts, attempt } = recorder();
      const race = staggeredRace([attempt(ok(1000, 1)), attempt(ok(1000, 2))]);
      await vi.advanceTimersByTimeAsync(1000);
      expect((await race).index).toBe(0);
      expect(starts).toEqual([0, 250]);
    });

    it("starts the next attempt as soon as the previous one fails, before the delay is up", async () => {
      const { starts, attempt } = recorder();
      const error = new Error("refused");
      const race = staggeredRace([attempt(fail(100, error)), attempt(fail(30, error)), attempt(ok(10, "third"))], { delay: 250 });
      await vi.advanceTimersByTimeAsync(140);
      const result = await race;
      expect(starts).toEqual([0, 100, 130]);
      expect(result).toEqual({ value: "third", index: 2, errors: [error, error, undefined] });
    });

    it("brings the next start forward only for a failure of the most recent attempt", async () => {
      const { starts, attempt } = recorder();
      const race = staggeredRace([attempt(fail(300, new Error("late"))), attempt(ok(1000, 1)), attempt(ok(1000, 2))], { delay: 250 });
      await vi.advanceTimersByTimeAsync(1250);
      await race;
      // attempt 0 failing at 300 ms does not start attempt 2 early: it starts 250 ms after attempt 1.
      expect(starts).toEqual([0, 250, 500]);
    });

    it("runs one attempt at a time with delay: null", async () => {
      const { starts, attempt } = recorder();
      const race = staggeredRace([attempt(fail(5000, new Error("slow failure"))), attempt(ok(10, "second"))], { delay: null });
      await vi.advanceTimersByTimeAsync(4999);
      expect(starts).toEqual([0]);
      await vi.advanceTimersByTimeAsync(11);
      expect(starts).toEqual([0, 5000]);
      expect((await race).value).toBe("second");
    });

    it("consumes fns lazily: a function is pulled only when its attempt starts", async () => {
      const pulled: number[] = [];
      function* attempts() {
        for (let i = 0; ; i++) {
          pulled.push(i);
          yield ok(i === 2 ? 10 : 10_000, i);
        }
      }
      const race = staggeredRace(attempts(), { delay: 100 });
      expect(pulled).toEqual([]);
      await vi.advanceTimersByTimeAsync(0);
      expect(pulled).toEqual([0]);
      await vi.advanceTimersByTimeAsync(100);
      expect(pulled).toEqual([0, 1]);
      await vi.advanceTimersByTimeAsync(110);
      expect((await race).value).toBe(2);
      expect(pulled).toEqual([0, 1, 2]);
    });

    it("closes a generator it stops pulling from", async () => {
      let closed = false;
      function* attempts() {
        try {
          yield ok(10, "first");
          yield ok(10, "never");
        } finally {
          closed = true;
        }
      }
      const race = staggeredRace(attempts());
      await vi.advanceTimersByTimeAsync(10);
      expect((await race).value).toBe("first");
      expect(closed).toBe(true);
    });

    it("starts no further attempt once a winner fulfils, even just before the delay is up", async () => {
      const { starts, attempt } = recorder();
      const race = staggeredRace([attempt(ok(249, "first")), attempt(ok(1, "second"))], { delay: 250 });
      await vi.advanceTimersByTimeAsync(1000);
      expect((await race).errors).toEqual([undefined]);
      expect(starts).toEqual([0]);
    });

    it("never calls an attempt synchronously inside staggeredRace()", async () => {
      let called = false;
      const race = staggeredRace([
        () => {
          called = true;
          return "sync value";
        },
      ]);
      expect(called).toBe(false);
      expect((await race).value).toBe("sync value");
      expect(called).toBe(true);
    });

    it("treats a synchronous throw as that attempt's failure and moves on at once", async () => {
      const { starts, attempt } = recorder();
      const error = new Error("sync");
      const race = staggeredRace([
        (signal: AbortSignal) => {
          starts.push(0);
          void signal;
          throw error;
        },
        attempt(ok(10, "ok")),
      ]);
      await vi.advanceTimersByTimeAsync(10);
      const result = await race;
      expect(result.errors).toEqual([error, undefined]);
      expect(starts).toEqual([0, 0]);
    });
  });

  describe("one winner", () => {
    it("has exactly one winner when two attempts fulfil in the same tick", async () => {
      const gate = deferred();
      const { signals, attempt } = recorder();
      // Both ignore their signals and fulfil from the same resolution.
      const race = staggeredRace(
        [attempt(() => gate.promise.then(() => "first")), attempt(() => gate.promise.then(() => "second"))],
        { delay: 10 },
      );
      await vi.advanceTimersByTimeAsync(10);
      expect(signals).toHaveLength(2);
      gate.resolve();
      const result = await race;
      expect(result.value).toBe("first");
      expect(result.index).toBe(0);
      expect(signals[0]!.aborted).toBe(false);
      expect(signals[1]!.aborted).toBe(true);
      expect(result.errors[1]).toBe(signals[1]!.reason);
      expect(isCancelledError(result.errors[1])).toBe(true);
    });

    it("aborts every loser's signal at once and resolves only after every loser has settled", async () => {
      const { signals, attempt } = recorder();
      const stubbornDone = deferred();
      // A loser that takes 500 ms to wind down after its signal aborts.
      const stubborn = attempt(async (signal) => {
        await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
        await new Promise<void>((resolve) => setTimeout(resolve, 500));
        stubbornDone.resolve();
        throw signal.reason;
      });
      const race = track(staggeredRace([stubborn, attempt(ok(10_000, "x")), attempt(ok(10, "winner"))], { delay: 100 }));
      await vi.advanceTimersByTimeAsync(210);
      expect(signals.map((s) => s.aborted)).toEqual([true, true, false]);
      expect(race.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(499);
      expect(race.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(race.settled).toBe(true);
      const result = await race.promise;
      expect(result.value).toBe("winner");
      expect(result.errors.map(isCancelledError)).toEqual([true, true, false]);
    });

    it("cancels losers with a CancelledError of their own, and never aborts the winner's signal", async () => {
      const { signals, attempt } = recorder();
      const controller = new AbortController();
      const race = staggeredRace([attempt(ok(1000, "slow")), attempt(ok(10, "fast"))], { delay: 20, signal: controller.signal });
      await vi.advanceTimersByTimeAsync(30);
      const result = await race;
      const loserReason = result.errors[0];
      expect(loserReason).toBeInstanceOf(CancelledError);
      expect(loserReason).toBe(signals[0]!.reason);
      // After the race the winner's signal is detached from the caller's signal.
      controller.abort(new Error("later"));
      expect(signals[1]!.aborted).toBe(false);
    });

    it("keeps one slot per started attempt, in start order", async () => {
      const failure = new Error("eu is down");
      const race = staggeredRace([fail(50, failure), ok(10_000, "us"), ok(10, "asia"), ok(10, "never started")], { delay: 250 });
      await vi.advanceTimersByTimeAsync(310);
      const { value, index, errors } = await race;
      expect(value).toBe("asia");
      expect(index).toBe(2);
      expect(errors).toHaveLength(3);
      expect(errors[0]).toBe(failure);
      expect(isCancelledError(errors[1])).toBe(true);
      expect(errors[2]).toBeUndefined();
    });
  });

  describe("no winner", () => {
    it("rejects with a StaggeredRaceError (an AggregateError) carrying every failure in start order", async () => {
      const errors = [new Error("a"), new Error("b"), new Error("c")];
      const race = staggeredRace([fail(300, errors[0]), fail(10, errors[1]), fail(5, errors[2])], { delay: 100 });
      const outcome = race.catch((error: unknown) => error);
      await vi.advanceTimersByTimeAsync(300);
      const error = await outcome;
      expect(error).toBeInstanceOf(StaggeredRaceError);
      expect(error).toBeInstanceOf(AggregateError);
      expect((error as StaggeredRaceError).name).toBe("StaggeredRaceError");
      expect((error as StaggeredRaceError).errors).toEqual(errors);
    });

    it("rejects with a StaggeredRaceError with no errors for an empty input", async () => {
      const error = await staggeredRace([]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StaggeredRaceError);
      expect((error as StaggeredRaceError).errors).toEqual([]);
    });

    it("records a non-function entry as that attempt's TypeError", async () => {
      const error = await staggeredRace([42 as unknown as () => number]).catch((e: unknown) => e);
      expect((error as StaggeredRaceError).errors[0]).toBeInstanceOf(TypeError);
    });

    it("rejects with the iterator's error once the running attempts have settled", async () => {
      const { signals, attempt } = recorder();
      const broken = new Error("iterator broke");
      function* attempts() {
        yield attempt(ok(1000, "never"));
        throw broken;
      }
      const race = track(staggeredRace(attempts(), { delay: 100 }));
      await vi.advanceTimersByTimeAsync(100);
      expect(signals[0]!.aborted).toBe(true);
      await expect(race.promise).rejects.toBe(broken);
    });
  });

  describe("options.signal", () => {
    it("cancels every attempt with the signal's reason, waits for all of them, and rejects with that reason", async () => {
      const { signals, attempt } = recorder();
      const controller = new AbortController();
      const settled: number[] = [];
      const slowToStop = (i: number) =>
        attempt(async (signal) => {
          await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
          await new Promise<void>((resolve) => setTimeout(resolve, 100 * (i + 1)));
          settled.push(i);
          throw signal.reason;
        });
      const race = track(staggeredRace([slowToStop(0), slowToStop(1)], { delay: 50, signal: controller.signal }));
      await vi.advanceTimersByTimeAsync(60);
      const reason = new Error("caller gave up");
      controller.abort(reason);
      expect(signals.map((s) => s.reason)).toEqual([reason, reason]);
      await vi.advanceTimersByTimeAsync(199);
      expect(race.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await expect(race.promise).rejects.toBe(reason);
      expect(settled).toEqual([0, 1]);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    });

    it("rejects with the signal's reason even if a winner appeared meanwhile", async () => {
      const controller = new AbortController();
      const { signals, attempt } = recorder();
      const lingering = attempt(async (signal) => {
        await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
        await new Promise<void>((resolve) => setTimeout(resolve, 100));
        throw signal.reason;
      });
      const race = track(staggeredRace([lingering, attempt(ok(10, "winner"))], { delay: 10, signal: controller.signal }));
      await vi.advanceTimersByTimeAsync(20);
      // The winner is in, the loser is still winding down; now the caller aborts.
      expect(race.settled).toBe(false);
      controller.abort("stop");
      // The winner's signal is still linked while the race runs, so its resources are released too.
      expect(signals[1]!.aborted).toBe(true);
      await vi.advanceTimersByTimeAsync(100);
      await expect(race.promise).rejects.toBe("stop");
    });

    it("rejects with the reason of an already aborted signal and starts nothing", async () => {
      let pulled = false;
      const fns = {
        *[Symbol.iterator]() {
          pulled = true;
          yield ok(1, 1);
        },
      };
      const signal = AbortSignal.abort("too late");
      await expect(staggeredRace(fns, { signal })).rejects.toBe("too late");
      expect(pulled).toBe(false);
    });

    it("leaves no listener on the caller's signal and no timer after it settles", async () => {
      const controller = new AbortController();
      const signal = controller.signal;
      const won = staggeredRace([ok(1000, 1), ok(10, 2)], { delay: 10, signal });
      await vi.advanceTimersByTimeAsync(20);
      await won;
      expect(getEventListeners(signal, "abort")).toHaveLength(0);
      const lost = staggeredRace([fail(5, new Error("x")), fail(5, new Error("y"))], { signal }).catch(() => {});
      await vi.advanceTimersByTimeAsync(10);
      await lost;
      expect(getEventListeners(signal, "abort")).toHaveLength(0);
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  describe("arguments", () => {
    it("throws a TypeError synchronously for a non-iterable fns or a bad signal", () => {
      expect(() => staggeredRace(42 as unknown as Iterable<() => void>)).toThrow(TypeError);
      expect(() => staggeredRace(null as unknown as Iterable<() => void>)).toThrow(TypeError);
      expect(() => staggeredRace([], { signal: {} as AbortSignal })).toThrow(TypeError);
      expect(() => staggeredRace([], { delay: "250" as unknown as number })).toThrow(TypeError);
    });

    it("throws a RangeError synchronously for a negative or NaN delay", () => {
      expect(() => staggeredRace([], { delay: -1 })).toThrow(RangeError);
      expect(() => staggeredRace([], { delay: Number.NaN })).toThrow(RangeError);
    });
  });
});

describe("staggeredRace() with real timers", () => {
  it("starts attempts about 250 ms apart and lets the quick third attempt win", async () => {
    const t0 = performance.now();
    const starts: number[] = [];
    const attempt = (ms: number, value: string) => async (signal: AbortSignal) => {
      starts.push(performance.now() - t0);
      await sleep(ms, { signal });
      return value;
    };
    const result = await staggeredRace([attempt(1000, "a"), attempt(1000, "b"), attempt(200, "c")], { delay: 250 });
    // Only a third attempt started before ~800 ms can beat the first two.
    expect(result.index).toBe(2);
    expect(result.errors.map(isCancelledError)).toEqual([true, true, false]);
    // Node's timers may fire a fraction of a millisecond early on performance.now()'s clock.
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(245);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(245);
  });
});

describe("staggeredRace() with Node's promise APIs", () => {
  it("puts the CancelledError in a loser's slot even when the loser rejected with Node's AbortError wrapper", async () => {
    const { setTimeout: delay } = await import("node:timers/promises");
    const result = await staggeredRace([(signal) => delay(1_000, "slow", { signal }), () => delay(5, "fast")], { delay: 0 });
    expect(result.value).toBe("fast");
    expect(result.index).toBe(1);
    expect(isCancelledError(result.errors[0])).toBe(true);
  });
});

describe("staggeredRace() arguments", () => {
  it("rejects an options argument that is not an object", () => {
    expect(() => staggeredRace([], "x" as never)).toThrow(TypeError);
  });
});
