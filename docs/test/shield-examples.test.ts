import { describe, expect, it } from "vitest";
import { runExample } from "./run-example.js";

// The examples run through tsx, which resolves @corral/* to the package sources.
describe("docs/examples/shield", () => {
  it("transaction-pool.ts leaks connections without the shield and releases every one with it", async () => {
    const run = await runExample("shield/transaction-pool.ts");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/without shield: 1000 requests cancelled, [1-9]\d* connections leaked mid-transaction/);
    expect(run.stdout).toContain("with shield:    1000 requests cancelled, 0 connections leaked, 5/5 idle");
  });

  it("cleanup-in-finally.ts runs the rollback only when shielded, and both runs end cancelled", async () => {
    const run = await runExample("shield/cleanup-in-finally.ts");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("without shield: insert 1, insert 2 -> cancelled");
    expect(run.stdout).toContain("with shield:    insert 1, insert 2, rollback -> cancelled");
  });
});
