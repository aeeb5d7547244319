import { describe, expect, it } from "vitest";
import { runExample } from "./run-example.js";

// The examples run through tsx, which resolves @corral/* to the package sources.
describe("docs/examples/timeout", () => {
  it("fetch-with-timeout.ts bounds a real HTTP request and reports a TimeoutError caused by the CancelledError", async () => {
    const run = await runExample("timeout/fetch-with-timeout.ts");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("fast: fast answer");
    expect(run.stdout).toContain("slow: TimeoutError after ~100 ms (cause: CancelledError)");
  });

  it("move-on-after.ts keeps the answers that arrived in time and resolves undefined", async () => {
    const run = await runExample("timeout/move-on-after.ts");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("result: undefined");
    expect(run.stdout).toContain("answers in time: eu, us");
    expect(run.stdout).not.toContain("every mirror answered");
  });

  it("reschedule.ts lets a steady stream finish and cuts off a stalled one", async () => {
    const run = await runExample("timeout/reschedule.ts");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("steady stream: 5 chunks");
    expect(run.stdout).toContain("stalled stream: TimeoutError");
  });

  it("bounded-cleanup.ts bounds cleanup inside finally after the outer timeout fired", async () => {
    const run = await runExample("timeout/bounded-cleanup.ts");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("1: TimeoutError; cleanup abandoned after 50 ms");
    expect(run.stdout).toContain("2: TimeoutError; session closed after 10 ms");
  });
});
