import { describe, expect, it } from "vitest";
import { runExample } from "./run-example.js";

describe("cancel-core examples", () => {
  it("scopes.ts: one reason travels down and only its owner swallows it", async () => {
    const run = await runExample("cancel-core/scopes.ts");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("database run rejected: true");
    expect(run.stdout).toContain("same reason object: true");
    expect(run.stdout).toContain("owned by request: true");
    expect(run.stdout).toContain("bounded result: undefined cancelledCaught: true");
  });

  it("catch-pitfall.ts: a retry loop that rethrows cancellations stops", async () => {
    const run = await runExample("cancel-core/catch-pitfall.ts");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("retried several times, then stopped: true");
  });

  it("building-a-primitive.ts: a custom poll() honours the caller's signal and leaks nothing", async () => {
    const run = await runExample("cancel-core/building-a-primitive.ts");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("poll returned ready after 3 attempts");
    expect(run.stdout).toContain("poll stopped with: user gave up");
    expect(run.stdout).toContain("listeners left on the caller's signal: 0");
  });
});
