import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, killFixtures, startFixture, within } from "./helpers/fixture-process.js";

beforeAll(ensureBuilt, 120_000);
afterEach(killFixtures);

describe("gracefulShutdown() in a real process", () => {
  it("only notes a stop signal that arrives after shutdown(reason), and lets the hooks finish", async () => {
    const app = startFixture("shutdown.mjs", { MODE: "after-signal" });
    await app.waitForLine(/^hook started$/);
    app.kill("SIGTERM");
    expect(await within(app.exited, 15_000, "exit")).toEqual({ code: 0, signal: null });
    expect(app.lines).toEqual(["hook started", "got SIGTERM", "hook done", "shutdown resolved"]);
    expect(app.stderr).toBe("");
  });

  it("exits at once with 128 + signo on the second stop signal after shutdown(reason)", async () => {
    const app = startFixture("shutdown.mjs", { MODE: "hang" });
    await app.waitForLine(/^hook started$/);
    app.kill("SIGINT");
    await app.waitForLine(/^got SIGINT$/);
    expect(app.alive).toBe(true);
    app.kill("SIGTERM");
    expect(await within(app.exited, 10_000, "exit after the second stop signal")).toEqual({ code: 143, signal: null });
    expect(app.lines).not.toContain("hook done");
    expect(app.stderr).toMatch(/SIGTERM received again during shutdown: exiting now with code 143/);
  });
});
