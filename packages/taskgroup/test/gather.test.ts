import { getEventListeners } from "node:events";
import { isCancelledError } from "@corral/cancel-core";
import { gather, TaskGroupError } from "@corral/taskgroup";
import { describe, expect, expectTypeOf, it } from "vitest";
import { deferred, flush, rejectionOf, untilCancelled } from "./helpers.js";

describe("gather()", () => {
  it("resolves with the values in input order, whatever order they finish in", async () => {
    const slow = deferred<string>();
    const result = gather([() => slow.promise, async () => 2, () => "three"]);
    await flush();
    slow.resolve("one");
    expect(await result).toEqual(["one", 2, "three"]);
  });

  it("types the result as a tuple of the functions' values", async () => {
    const result = await gather([async () => 1, () => "two"]);
    expectTypeOf(result).toEqualTypeOf<[number, string]>();
    expect(result).toEqual([1, "two"]);
  });

  it("cancels the others on the first failure and rejects with TaskGroupError once all have settled", async () => {
    const first = new Error("first");
    const second = new Error("second during cleanup");
    const cleanup = deferred();
    let otherReason: unknown;
    const result = gather([
      async (signal) => {
        try {
          await untilCancelled(signal);
        } catch (reason) {
          otherReason = reason;
          await cleanup.promise;
          throw second;
        }
      },
      async () => {
        await flush();
        throw first;
      },
    ]);
    let settled = false;
    result.catch(() => {
      settled = true;
    });
    await flush();
    await flush();
    expect(isCancelledError(otherReason)).toBe(true);
    expect(settled).toBe(false);
    cleanup.resolve();
    const error = await rejectionOf(result);
    expect(error).toBeInstanceOf(TaskGroupError);
    expect((error as TaskGroupError).errors).toEqual([first, second]);
  });

  it("rejects with the parent's reason after every function has settled", async () => {
    const parent = new AbortController();
    const reason = new Error("stop");
    const result = gather([(signal) => untilCancelled(signal), (signal) => untilCancelled(signal)], { signal: parent.signal });
    await flush();
    parent.abort(reason);
    expect(await rejectionOf(result)).toBe(reason);
    expect(getEventListeners(parent.signal, "abort")).toHaveLength(0);
  });

  it("starts nothing and rejects with the reason when the signal is already aborted", async () => {
    let called = false;
    const result = gather(
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

  it("ends with a function's own cancellation after cancelling the others", async () => {
    const foreign = new DOMException("its own request was aborted", "AbortError");
    let otherAborted = false;
    const result = gather([
      async () => {
        await flush();
        throw foreign;
      },
      async (signal) => {
        await untilCancelled(signal).catch(() => {
          otherAborted = true;
        });
      },
    ]);
    expect(await rejectionOf(result)).toBe(foreign);
    expect(otherAborted).toBe(true);
  });

  it("resolves an empty input with an empty array", async () => {
    expect(await gather([])).toEqual([]);
  });

  it("accepts any iterable of functions", async () => {
    function* functions(): Generator<() => number> {
      yield () => 1;
      yield () => 2;
    }
    expect(await gather([...functions()])).toEqual([1, 2]);
    expect(await gather(new Set([() => "a"]) as unknown as [() => string])).toEqual(["a"]);
  });

  it("turns a synchronous throw into TaskGroupError, never into a synchronous exception", async () => {
    const boom = new Error("sync");
    const result = gather([
      () => {
        throw boom;
      },
    ]);
    expect(((await rejectionOf(result)) as TaskGroupError).errors).toEqual([boom]);
  });

  it("throws TypeError for a non-iterable, a non-function element or a bad signal", () => {
    expect(() => gather(5 as never)).toThrow(TypeError);
    expect(() => gather(null as never)).toThrow(TypeError);
    expect(() => gather([() => 1, "x"] as never)).toThrow(TypeError);
    expect(() => gather([], { signal: 1 as never })).toThrow(TypeError);
  });
});
