/**
 * Property tests of issue 10: random schedules of cancel scopes, task groups, timeouts, shields
 * and staggered races, run under fake timers, each checked against one promise of corral.
 *
 * `CORRAL_PROPERTY_RUNS=5000 pnpm test:properties` runs longer; the default is 200 runs per
 * property. A failure prints the shrunk schedule as a tree, what broke, and the event log.
 */
import { type fc, test } from "@fast-check/vitest";
import { describe } from "vitest";
import { type RunRecord, runSchedule } from "./interpreter.js";
import {
  type Check,
  cancellationOwnership,
  errorsObservedOnce,
  nothingLeaks,
  nothingOrphaned,
  sameOutcome,
  shieldsHold,
} from "./invariants.js";
import { type Schedule, scheduleArbitrary } from "./schedule.js";

const numRuns = Number(process.env.CORRAL_PROPERTY_RUNS ?? 200);
if (!Number.isInteger(numRuns) || numRuns < 1) throw new RangeError(`CORRAL_PROPERTY_RUNS must be a positive integer, got ${process.env.CORRAL_PROPERTY_RUNS}`);
const parameters: fc.Parameters<[Schedule]> = { numRuns };
// Room for long runs: about 20 ms per schedule is plenty.
const timeout = Math.max(20_000, numRuns * 40);
const schedules = scheduleArbitrary();

function assertHolds(broken: string[], run: RunRecord): void {
  if (broken.length > 0) throw new Error(`${broken.join("\n")}\n\nevent log:\n  ${run.events.join("\n  ")}`);
}

const property = (check: Check) => async (schedule: Schedule) => {
  const run = await runSchedule(schedule);
  assertHolds(check(run), run);
};

describe("random schedules of corral primitives", () => {
  test.prop([schedules], parameters)(
    "1. no group, timeout, shield or race settles while work it started is still running",
    property(nothingOrphaned),
    timeout,
  );

  test.prop([schedules], parameters)(
    "2. every error thrown by user work is observed exactly once, never as an unhandled rejection",
    property(errorsObservedOnce),
    timeout,
  );

  test.prop([schedules], parameters)(
    "3. a cancellation is swallowed or converted only by its owner, and an outside one reaches the caller",
    property(cancellationOwnership),
    timeout,
  );

  test.prop([schedules], parameters)(
    "4. a shielded section runs to its end unless its own timeout fires, and the deferred cancellation comes once, after it",
    property(shieldsHold),
    timeout,
  );

  test.prop([schedules], parameters)(
    "5. once everything has settled no listener, timer or child scope is left behind",
    property(nothingLeaks),
    timeout,
  );

  test.prop([schedules], parameters)(
    "6. the same schedule run twice gives the same outcome",
    async (schedule) => {
      const first = await runSchedule(schedule);
      const second = await runSchedule(schedule);
      assertHolds(sameOutcome(first, second), second);
    },
    timeout,
  );
});
