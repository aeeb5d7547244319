// @corral/staggered (not /net) in a real browser: staggered starts, one winner, losers
// cancelled and awaited, errors in start order.
import { isCancellation, sleep } from "@corral/cancel-core";
import { StaggeredRaceError, staggeredRace } from "@corral/staggered";
import { assert, type Checks, delay, equal, rejection } from "./harness.js";

export const needs = { "@corral/staggered": ["staggeredRace", "StaggeredRaceError"] };

export const checks: Checks = {
  async "the next attempt starts after the delay or when the previous one fails, and the first success wins"() {
    const starts: number[] = [];
    const origin = performance.now();
    let loserSettled = false;
    const result = await staggeredRace(
      [
        async (signal: AbortSignal) => {
          starts.push(performance.now() - origin);
          try {
            await sleep(1_000, { signal });
          } finally {
            loserSettled = true;
          }
          return "hung";
        },
        async () => {
          starts.push(performance.now() - origin);
          await delay(5);
          throw new Error("refused");
        },
        async () => {
          starts.push(performance.now() - origin);
          await delay(20);
          return "connected";
        },
      ],
      { delay: 40 },
    );
    equal(result.value, "connected", "the first success");
    equal(result.index, 2, "its index");
    equal(result.errors.length, 3, "one slot per started attempt");
    assert(isCancellation(result.errors[0]), "the loser's slot holds its cancellation");
    equal((result.errors[1] as Error).message, "refused", "the failure in its slot");
    equal(result.errors[2], undefined, "the winner's slot is empty");
    assert(loserSettled, "the loser settled before the race resolved");
    assert((starts[1] ?? 0) >= 35, "attempt 1 waited for the delay");
    assert((starts[2] ?? 0) - (starts[1] ?? 0) < 35, "attempt 2 started as soon as attempt 1 failed");
  },

  async "no winner rejects with a StaggeredRaceError of every error in start order"() {
    const error = await rejection(
      staggeredRace(
        [
          async () => {
            await delay(10);
            throw new Error("a");
          },
          async () => {
            throw new Error("b");
          },
        ],
        { delay: 1 },
      ),
      "staggeredRace",
    );
    assert(error instanceof StaggeredRaceError && error instanceof AggregateError, "a StaggeredRaceError");
    equal((error as StaggeredRaceError).errors.map((e: Error) => e.message).join(","), "a,b", "start order");
    const empty = await rejection(staggeredRace([]), "empty");
    assert(empty instanceof StaggeredRaceError && (empty as StaggeredRaceError).errors.length === 0, "empty input");
  },

  async "delay: null runs the attempts one at a time"() {
    let running = 0;
    let most = 0;
    const attempt = async (fails: boolean): Promise<string> => {
      running++;
      most = Math.max(most, running);
      await delay(10);
      running--;
      if (fails) throw new Error("fail");
      return "ok";
    };
    const result = await staggeredRace([() => attempt(true), () => attempt(true), () => attempt(false)], { delay: null });
    equal(result.index, 2, "the third attempt won");
    equal(most, 1, "never two at once");
  },

  async "aborting the signal cancels every attempt, waits for them and rejects with its reason"() {
    const controller = new AbortController();
    let settled = 0;
    const attempt = async (signal: AbortSignal): Promise<void> => {
      try {
        await sleep(1_000, { signal });
      } finally {
        settled++;
      }
    };
    const pending = rejection(staggeredRace([attempt, attempt], { delay: 5, signal: controller.signal }), "staggeredRace");
    await delay(20);
    controller.abort("stop");
    equal(await pending, "stop", "the signal's reason");
    equal(settled, 2, "both attempts had settled");
    let started = false;
    const already = await rejection(
      staggeredRace(
        [
          () => {
            started = true;
          },
        ],
        { signal: controller.signal },
      ),
      "pre-aborted",
    );
    equal(already, "stop", "an aborted signal rejects at once");
    assert(!started, "and starts nothing");
  },
};
