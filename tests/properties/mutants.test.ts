/**
 * The invariants must be able to fail: each one is run against a deliberately broken version of
 * one primitive (a "mutant", wrapped around the real one) and must catch it.
 */
import { CancelScope, cancellable, isCancellation, onCancel, TimeoutError } from "@corral/cancel-core";
import { fc } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { type Api, corral, type RunRecord, runSchedule } from "./interpreter.js";
import { cancellationOwnership, errorsObservedOnce, nothingLeaks, nothingOrphaned, sameOutcome, shieldsHold } from "./invariants.js";
import { type Schedule, scheduleArbitrary } from "./schedule.js";

type Broken = (schedule: Schedule, api: Api) => Promise<string[]>;
const once = (check: (run: RunRecord) => string[]): Broken => async (schedule, api) => check(await runSchedule(schedule, api));

const mutants: { name: string; caughtBy: string; broken: Broken; api: Partial<Api> }[] = [
  {
    name: "a taskGroup that settles as soon as its parent is cancelled, without waiting for its children",
    caughtBy: "1",
    broken: once(nothingOrphaned),
    api: {
      taskGroup: ((body, options) => {
        const settled = corral.taskGroup(body, options);
        const signal = options?.signal;
        if (!signal) return settled;
        return new Promise((resolve, reject) => {
          const registration = onCancel(signal, reject);
          void settled.then(resolve, reject).finally(() => registration[Symbol.dispose]());
        });
      }) as Api["taskGroup"],
    },
  },
  {
    name: "a staggeredRace that stops waiting for an attempt once it is cancelled",
    caughtBy: "1",
    broken: once(nothingOrphaned),
    api: {
      staggeredRace: ((fns, options) =>
        corral.staggeredRace(
          [...fns].map((fn) => (signal: AbortSignal) => cancellable(Promise.resolve().then(() => fn(signal)), signal)),
          options,
        )) as Api["staggeredRace"],
    },
  },
  {
    name: "a taskGroup where the parent's cancellation beats the children's errors",
    caughtBy: "2",
    broken: once(errorsObservedOnce),
    api: {
      taskGroup: ((body, options) =>
        corral.taskGroup(body, options).catch((error: unknown) => {
          throw options?.signal?.aborted ? options.signal.reason : error;
        })) as Api["taskGroup"],
    },
  },
  {
    name: "a withTimeout that turns every cancellation into a TimeoutError",
    caughtBy: "3",
    broken: once(cancellationOwnership),
    api: {
      withTimeout: ((ms, fn, options) =>
        corral.withTimeout(ms, fn, options).catch((error: unknown) => {
          throw isCancellation(error) || error === options?.signal?.reason ? new TimeoutError("converted", { cause: error }) : error;
        })) as Api["withTimeout"],
    },
  },
  {
    name: "a shield that lets the outside cancellation in",
    caughtBy: "4",
    broken: once(shieldsHold),
    api: {
      shield: ((fn, options) => {
        const { signal, timeout } = options ?? {};
        return new CancelScope({ ...(signal && { signal }), ...(timeout !== undefined && { timeout }) }).run(fn);
      }) as Api["shield"],
    },
  },
  {
    name: "a staggeredRace that leaves a listener on the signal it was given",
    caughtBy: "5",
    broken: once(nothingLeaks),
    api: {
      staggeredRace: ((fns, options) => {
        options?.signal?.addEventListener("abort", () => {});
        return corral.staggeredRace(fns, options);
      }) as Api["staggeredRace"],
    },
  },
  {
    name: "a moveOnAfter that leaves a timer behind",
    caughtBy: "5",
    broken: once(nothingLeaks),
    api: {
      moveOnAfter: ((ms, fn, options) => {
        setTimeout(() => {}, 1_000);
        return corral.moveOnAfter(ms, fn, options);
      }) as Api["moveOnAfter"],
    },
  },
  {
    name: "a sleep whose timing depends on Math.random()",
    caughtBy: "6",
    broken: async (schedule, api) => sameOutcome(await runSchedule(schedule, api), await runSchedule(schedule, api)),
    api: { sleep: (ms, options) => corral.sleep(ms + (Math.random() < 0.5 ? 1 : 0), options) },
  },
];

describe("the invariants catch broken primitives", () => {
  for (const mutant of mutants) {
    it(`invariant ${mutant.caughtBy} catches ${mutant.name}`, async () => {
      const api = { ...corral, ...mutant.api };
      const result = await fc.check(
        fc.asyncProperty(scheduleArbitrary(), async (schedule) => (await mutant.broken(schedule, api)).length === 0),
        { numRuns: 1_000, endOnFailure: true },
      );
      expect(result.failed).toBe(true);
    });
  }
});
