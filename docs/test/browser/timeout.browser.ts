// @corral/timeout in a real browser: timeouts that stop the work, owner-only conversion,
// move-on semantics and reschedulable deadlines on the browser's clock.
import { isCancelledError, isTimeoutError, now, sleep } from "@corral/cancel-core";
import { moveOnAfter, moveOnAt, withDeadline, withTimeout } from "@corral/timeout";
import { assert, type Checks, delay, equal, rejection, thrown } from "./harness.js";

export const needs = { "@corral/timeout": ["withTimeout", "withDeadline", "moveOnAfter", "moveOnAt"] };

export const checks: Checks = {
  async "withTimeout() aborts the work's signal and rejects with a TimeoutError caused by it"() {
    let workSawAbort = false;
    const error = await rejection(
      withTimeout(20, async (signal) => {
        await sleep(1_000, { signal }).catch((reason: unknown) => {
          workSawAbort = signal.aborted;
          throw reason;
        });
      }),
      "withTimeout",
    );
    assert(isTimeoutError(error), "a TimeoutError");
    assert(isCancelledError((error as Error).cause), "its cause is the CancelledError");
    assert(workSawAbort, "the work's signal was aborted");
  },

  async "withTimeout() returns the work's value when it is in time"() {
    equal(await withTimeout(1_000, async () => "fast"), "fast", "the value");
  },

  async "moveOnAfter() resolves undefined on its own expiry, with timeout.expired set"() {
    let expired = false;
    const value = await moveOnAfter(20, async (signal, timeout) => {
      try {
        await sleep(1_000, { signal });
        return "late";
      } finally {
        expired = timeout.expired;
      }
    });
    equal(value, undefined, "undefined");
    assert(expired, "timeout.expired");
  },

  async "a caller's cancellation passes through a timeout unchanged"() {
    const controller = new AbortController();
    const pending = rejection(
      withTimeout(1_000, (signal) => sleep(1_000, { signal }), { signal: controller.signal }),
      "withTimeout",
    );
    controller.abort("user left");
    equal(await pending, "user left", "the caller's reason, not a TimeoutError");
  },

  async "with nested timeouts the outer expiry passes through the inner one and the outer converts it"() {
    let innerSaw: unknown;
    const error = await rejection(
      withTimeout(20, (outerSignal) =>
        withTimeout(1_000, (signal) => sleep(1_000, { signal }), { signal: outerSignal }).catch((reason: unknown) => {
          innerSaw = reason;
          throw reason;
        }),
      ),
      "outer withTimeout",
    );
    assert(isCancelledError(innerSaw), "the inner timeout let the outer cancellation through unconverted");
    assert(isTimeoutError(error), "the outer owner converted it");
  },

  async "reschedule() moves the deadline while active and throws once finished"() {
    const started = now();
    let handle: { reschedule(deadline: number): void } | undefined;
    const value = await withTimeout(20, async (signal, timeout) => {
      handle = timeout;
      timeout.reschedule(now() + 1_000);
      await sleep(40, { signal });
      return "extended";
    });
    equal(value, "extended", "the work outlived the original 20 ms");
    assert(now() - started >= 35, "it really ran past the first deadline");
    assert(thrown(() => handle?.reschedule(now() + 10), "reschedule after finish") instanceof Error, "a finished timeout cannot be rescheduled");
  },

  async "a zero timeout fires on a later tick, and the work still starts"() {
    let started = false;
    const value = await moveOnAfter(0, async (signal) => {
      started = true;
      equal(signal.aborted, false, "not aborted synchronously");
      await sleep(50, { signal });
      return "unreachable";
    });
    assert(started, "the work started");
    equal(value, undefined, "then expired");
  },

  async "withDeadline() and moveOnAt() take absolute deadlines on now()'s clock"() {
    const error = await rejection(withDeadline(now() + 15, (signal) => sleep(1_000, { signal })), "withDeadline");
    assert(isTimeoutError(error), "withDeadline rejects with TimeoutError");
    equal(await moveOnAt(now() - 5, (signal) => sleep(1_000, { signal })), undefined, "a past deadline moves on");
    await delay(0);
  },
};
