import { describe, expect, it } from "vitest";
import { runExample } from "./run-example.js";

describe("taskgroup examples", () => {
  it("fan-out.ts: one failing child cancels its siblings, and none outlives the group", async () => {
    const run = await runExample("taskgroup/fan-out.ts");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("mirror-a cancelled (by the group)");
    expect(run.stdout).toContain("mirror-c cancelled (by the group)");
    expect(run.stdout).toContain("failed: mirror-b: connection reset");
    expect(run.stdout).toContain("no child outlived the group");
  });

  it("await-using.ts: the catch cancels the group, and disposal waits for the child", async () => {
    const run = await runExample("taskgroup/await-using.ts");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split("\n")).toEqual([
      "upload failed: virus scan failed",
      "thumbnail cancelled",
      "the child was cancelled and awaited before the block ended",
    ]);
  });

  it("persistent.ts: a failing request goes to onError, shutdown() cancels the rest", async () => {
    const run = await runExample("taskgroup/persistent.ts");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split("\n")).toEqual([
      "request-2 failed: bad request body",
      "served 4, still running 1",
      "long-poll ended as cancelled; running after shutdown: 0",
    ]);
  });

  it("gather-race.ts: gather keeps input order, race cancels and awaits the loser", async () => {
    const run = await runExample("taskgroup/gather-race.ts");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split("\n")).toEqual([
      "gather: Ada has 2 orders",
      "race: replica won; the slow one was stopped: true",
      "gather failed fast: inventory service down",
    ]);
  });
});
