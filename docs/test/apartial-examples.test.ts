import { describe, expect, it } from "vitest";
import { runExample } from "./run-example.js";

describe("docs/examples/apartial", () => {
  it("event-hooks.ts: a hand-written wrapper escapes the dispatcher, an apartial is awaited", async () => {
    const run = await runExample("apartial/event-hooks.ts");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toEqual([
      "hand-written wrapper is async: false",
      "after emit: []",
      '50 ms later: ["user.created"]',
      "emit resolved although the hook failed",
      "unhandled rejection: audit store refused user.deleted",
      "apartial wrapper is async: true",
      'after emit: ["user.created"]',
      "emit rejected with: audit store refused user.deleted",
      'always awaiting, hand-written hook: ["user.created"]',
    ]);
  });

  it("basics.ts: kind, name, length, this, errors and flattening are kept", async () => {
    const run = await runExample("apartial/basics.ts");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split("\n")).toEqual([
      "users/7 users/8?fields=name",
      "async: true name: fetchRow length: 2",
      "rejected with: no row -1 in users",
      "users/9 length: 1",
      "counter: 10",
      "pages: [[0,1],[2,3],[4]] [object AsyncGeneratorFunction]",
      "sync result: 42 async: false",
    ]);
  });
});
