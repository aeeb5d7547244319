import { getEventListeners } from "node:events";
import { isCancelledError } from "@corral/cancel-core";
import { race, TaskGroupError } from "@corral/taskgroup";
import { describe, expect, it } from "vitest";
import { deferred, flush, rejectionOf, untilCancelled, watchUnhandledRejections } from "./helpers.js";

describe("race()", () => {
  it("resolves with the first fulfilment, only after every loser was cancelled and has settled", async () => {
    const loserCleanup = deferred();
    const events: string[] = [];
    const result = race([
      async (signal) => {
        try {
          await untilCancelled(signal);
        } finally {
          events.push(`loser cancelled: ${isCancelledError(signal.reason)}`);
          await loserCleanup.promise;
          events.push("loser settled");
        }
      },
      async () => {
        await flush();
        return "winner";
      },
    ]);
    void result.then(() => events.push("race resolved"));
    await flush();
    await flush();
    expect(events).toEqual(["loser cancelled: true"]);
    loserCleanup.resolve();
    expect(await result).toBe("winner");
    expect(events).toEqual(["loser cancelled: true", "loser settled", "race resolved"]);
  });

  it("keeps racing after a failure", async () => {
    const result = race([
      async () => {
        throw new Error("first attempt failed");
      },
      async () => {
        await flush();
        return "second";
      },
    ]);
    expect(await result).toBe("second");
  });

  it("rejects with TaskGroupError listing every failure in start order when all fail", async () => {
    const a = new Error("a");
    const b = new Error("b");
    const c = new Error("c");
    const error = await rejectionOf(
      race([
        async () => {
          await flush();
          await flush();
          throw a;
        },
        () => {
          throw b;
        },
        async () => {
          await flush();
          throw c;
        },
      ]),
    );
    expect(error).toBeInstanceOf(TaskGroupError);
    expect((error as TaskGroupError).errors).toEqual([a, b, c]);
  });

  it("rejects an empty input with RangeError", async () => {
    const result = race([]);
    expect(result).toBeInstanceOf(Promise);
    expect(await rejectionOf(result)).toBeInstanceOf(RangeError);
  });

  it("rejects with the parent's reason after every attempt has settled", async () => {
    const parent = new AbortController();
    const result = race([(signal) => untilCancelled(signal), (signal) => untilCancelled(signal)], { signal: parent.signal });
    await flush();
    parent.abort("gone");
    expect(await rejectionOf(result)).toBe("gone");
    expect(getEventListeners(parent.signal, "abort")).toHaveLength(0);
  });

  it("starts nothing when the signal is already aborted", async () => {
    let called = false;
    const result = race(
      [
        () => {
          called = true;
        },
      ],
      { signal: AbortSignal.abort("early") },
    );
    expect(await rejectionOf(result)).toBe("early");
    expect(called).toBe(false);
  });

  it("leaves no unhandled rejection behind from losers", async () => {
    const watch = watchUnhandledRejections();
    const value = await race([
      async (signal) => {
        await untilCancelled(signal).catch(() => undefined);
        throw new Error("loser fails while cleaning up");
      },
      (signal) => untilCancelled(signal),
      async () => "fast",
    ]);
    expect(value).toBe("fast");
    expect(await watch.stop()).toEqual([]);
  });

  it("has exactly one winner when several fulfil at once", async () => {
    const value = await race([() => "a", () => "b", async () => "c"]);
    expect(value).toBe("a");
  });

  it("throws TypeError for a non-iterable or a non-function element", () => {
    expect(() => race(undefined as never)).toThrow(TypeError);
    expect(() => race({} as never)).toThrow(TypeError);
    expect(() => race([1] as never)).toThrow(TypeError);
  });
});
