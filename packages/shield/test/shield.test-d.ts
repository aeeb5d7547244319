import { shield, type ShieldOptions } from "@corral/shield";
import { describe, expectTypeOf, it } from "vitest";

describe("@corral/shield types", () => {
  it("keeps the work's value type", () => {
    expectTypeOf(shield(async () => 1)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(shield(() => "sync")).toEqualTypeOf<Promise<string>>();
    expectTypeOf(shield((signal) => signal)).toEqualTypeOf<Promise<AbortSignal>>();
  });

  it("takes an AbortSignal and a timeout as options", () => {
    expectTypeOf<ShieldOptions>().toEqualTypeOf<{ signal?: AbortSignal; timeout?: number }>();
    shield(async () => 1, { signal: new AbortController().signal, timeout: 100 });
  });

  it("rejects wrong arguments at compile time", () => {
    // @ts-expect-error fn must be a function
    shield(Promise.resolve(1));
    // @ts-expect-error timeout is a number of ms
    shield(async () => 1, { timeout: "1s" });
    // @ts-expect-error signal must be an AbortSignal
    shield(async () => 1, { signal: true });
  });
});
