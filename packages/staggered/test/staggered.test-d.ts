import type { Socket } from "node:net";
import { type StaggeredRaceError, type StaggeredResult, staggeredRace } from "@corral/staggered";
import { type HappyEyeballsOptions, happyEyeballs } from "@corral/staggered/net";
import { describe, expectTypeOf, it } from "vitest";

describe("staggeredRace() types", () => {
  it("infers the value type from async and sync attempts alike", () => {
    const fromAsync = staggeredRace([async (signal: AbortSignal): Promise<number> => (signal.aborted ? 0 : 1)]);
    expectTypeOf(fromAsync).resolves.toEqualTypeOf<StaggeredResult<number>>();
    const fromSync = staggeredRace([() => "x", async () => "y"]);
    expectTypeOf(fromSync).resolves.toHaveProperty("value").toEqualTypeOf<string>();
  });

  it("describes the result and the options", () => {
    expectTypeOf<StaggeredResult<string>>().toEqualTypeOf<{ value: string; index: number; errors: unknown[] }>();
    expectTypeOf(staggeredRace).parameter(1).toEqualTypeOf<{ delay?: number | null; signal?: AbortSignal } | undefined>();
  });

  it("makes StaggeredRaceError an AggregateError named StaggeredRaceError", () => {
    expectTypeOf<StaggeredRaceError>().toMatchTypeOf<AggregateError>();
    expectTypeOf<StaggeredRaceError["name"]>().toEqualTypeOf<"StaggeredRaceError">();
  });
});

describe("happyEyeballs() types", () => {
  it("resolves to a net.Socket and types its hooks", () => {
    expectTypeOf(happyEyeballs).returns.resolves.toEqualTypeOf<Socket>();
    expectTypeOf<HappyEyeballsOptions["lookup"]>().toEqualTypeOf<
      ((host: string, family: 4 | 6, signal: AbortSignal) => Promise<string[]>) | undefined
    >();
    expectTypeOf<HappyEyeballsOptions["connect"]>().toEqualTypeOf<
      ((address: string, family: 4 | 6, port: number, signal: AbortSignal) => Promise<Socket>) | undefined
    >();
  });
});
