import { moveOnAfter, moveOnAt, type Timeout, type TimeoutError, withDeadline, withTimeout } from "@corral/timeout";
import type { TimeoutError as CoreTimeoutError } from "@corral/cancel-core";
import { describe, expectTypeOf, it } from "vitest";

describe("@corral/timeout types", () => {
  it("withTimeout and withDeadline keep the work's value type", () => {
    expectTypeOf(withTimeout(10, async () => 1)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(withTimeout(10, () => "sync")).toEqualTypeOf<Promise<string>>();
    expectTypeOf(withDeadline(10, async () => true)).toEqualTypeOf<Promise<boolean>>();
  });

  it("moveOnAfter and moveOnAt add undefined", () => {
    expectTypeOf(moveOnAfter(10, async () => 1)).toEqualTypeOf<Promise<number | undefined>>();
    expectTypeOf(moveOnAt(10, async () => "x")).toEqualTypeOf<Promise<string | undefined>>();
  });

  it("the work receives an AbortSignal and a Timeout handle", () => {
    withTimeout(10, (signal, timeout) => {
      expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
      expectTypeOf(timeout).toEqualTypeOf<Timeout>();
      expectTypeOf(timeout.deadline).toEqualTypeOf<number>();
      expectTypeOf(timeout.expired).toEqualTypeOf<boolean>();
      expectTypeOf(timeout.state).toEqualTypeOf<"active" | "expired" | "finished">();
      expectTypeOf(timeout.reschedule).toEqualTypeOf<(deadline: number) => void>();
    });
  });

  it("re-exports cancel-core's TimeoutError", () => {
    expectTypeOf<TimeoutError>().toEqualTypeOf<CoreTimeoutError>();
  });

  it("rejects wrong arguments at compile time", () => {
    // @ts-expect-error ms must be a number
    withTimeout("10", async () => 1);
    // @ts-expect-error fn must be a function
    withTimeout(10, Promise.resolve(1));
    // @ts-expect-error signal must be an AbortSignal
    withTimeout(10, async () => 1, { signal: "no" });
    // @ts-expect-error the handle is read-only
    withTimeout(10, (_signal, timeout) => (timeout.deadline = 5));
  });
});
