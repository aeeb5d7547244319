// @corral/shield in a real browser: shielded work runs to completion and the outer
// cancellation is delivered afterwards.
import { isTimeoutError, sleep } from "@corral/cancel-core";
import { shield } from "@corral/shield";
import { assert, type Checks, delay, equal, rejection } from "./harness.js";

export const needs = { "@corral/shield": ["shield"] };

export const checks: Checks = {
  async "shielded work runs to completion and then the outer reason is delivered"() {
    const controller = new AbortController();
    let finished = false;
    let innerAborted = true;
    const pending = rejection(
      shield(
        async (signal) => {
          await delay(30);
          innerAborted = signal.aborted;
          finished = true;
        },
        { signal: controller.signal },
      ),
      "shield",
    );
    await delay(5);
    controller.abort("request cancelled");
    equal(await pending, "request cancelled", "rejects with the outer reason");
    assert(finished, "the shielded work finished");
    equal(innerAborted, false, "its signal never aborted");
  },

  async "an error from the shielded work wins over the deferred cancellation"() {
    const controller = new AbortController();
    controller.abort("cancelled before");
    const error = await rejection(
      shield(
        async () => {
          await delay(5);
          throw new Error("rollback failed");
        },
        { signal: controller.signal },
      ),
      "shield",
    );
    equal((error as Error).message, "rollback failed", "the error, not the cancellation");
  },

  async "the shield's own timeout aborts the work and becomes a TimeoutError"() {
    const controller = new AbortController();
    const pending = rejection(shield((signal) => sleep(1_000, { signal }), { signal: controller.signal, timeout: 20 }), "shield");
    controller.abort("outer");
    const error = await pending;
    assert(isTimeoutError(error), "a TimeoutError, which wins over the deferred outer cancellation");
  },

  async "without any cancellation it settles like the work"() {
    equal(await shield(async () => "committed"), "committed", "the work's value");
  },
};
