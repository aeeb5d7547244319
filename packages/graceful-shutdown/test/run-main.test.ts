import { runMain } from "@corral/graceful-shutdown";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, killFixtures, startFixture, within } from "./helpers/fixture-process.js";

beforeAll(ensureBuilt, 120_000);
afterEach(killFixtures);

describe("runMain()", () => {
  it("exits 143 after SIGTERM, once main has cleaned up", async () => {
    const app = startFixture("main.mjs", { MODE: "wait", CLEANUP_MS: "200" });
    await app.waitForLine(/^ready/);
    app.kill("SIGTERM");
    const exit = await within(app.exited, 15_000, "exit");
    expect(exit).toEqual({ code: 143, signal: null });
    expect(app.lines).toEqual(["ready wait", "stopping: CancelledError: Cancelled: SIGTERM", "cleaned up"]);
    expect(app.stderr).toBe("");
  });

  it("exits 130 after SIGINT", async () => {
    const app = startFixture("main.mjs", { MODE: "wait" });
    await app.waitForLine(/^ready/);
    app.kill("SIGINT");
    expect(await within(app.exited, 15_000, "exit")).toEqual({ code: 130, signal: null });
    expect(app.lines).toContain("stopping: CancelledError: Cancelled: SIGINT");
  });

  it("exits 0 when main fulfils", async () => {
    const app = startFixture("main.mjs", { MODE: "succeed" });
    expect(await within(app.exited, 15_000, "exit")).toEqual({ code: 0, signal: null });
    expect(app.lines).toEqual(["ready succeed"]);
  });

  it("exits 1 when main throws, printing the error exactly once", async () => {
    const app = startFixture("main.mjs", { MODE: "fail" });
    expect(await within(app.exited, 15_000, "exit")).toEqual({ code: 1, signal: null });
    expect(app.stderr.match(/main failed on purpose/g)).toHaveLength(1);
    expect(app.stderr).toMatch(/^Error: main failed on purpose/);
  });

  it("exits with the stop code when main rejects with the shutdown's own cancellation", async () => {
    const app = startFixture("main.mjs", { MODE: "rethrow" });
    await app.waitForLine(/^ready/);
    app.kill("SIGTERM");
    expect(await within(app.exited, 15_000, "exit")).toEqual({ code: 143, signal: null });
    expect(app.stderr).toBe("");
  });

  it("exits 1 when main fails with a real error during shutdown (errors beat cancellation)", async () => {
    const app = startFixture("main.mjs", { MODE: "fail-during-shutdown" });
    await app.waitForLine(/^ready/);
    app.kill("SIGTERM");
    expect(await within(app.exited, 15_000, "exit")).toEqual({ code: 1, signal: null });
    expect(app.stderr.match(/cleanup failed on purpose/g)).toHaveLength(1);
  });

  it("exits with the stop code when the grace period ends before main does", async () => {
    const app = startFixture("main.mjs", { MODE: "ignore", GRACE: "300" });
    await app.waitForLine(/^ready/);
    app.kill("SIGTERM");
    expect(await within(app.exited, 15_000, "exit")).toEqual({ code: 143, signal: null });
    expect(app.stderr.trim()).toBe("graceful-shutdown: main did not finish within the grace period (300 ms): exiting with code 143");
  });

  it("lets main settle within a short margin after the grace period and still choose the exit code", async () => {
    // Cleanup ends 50 ms after the grace period: inside the margin, so main's outcome counts.
    const app = startFixture("main.mjs", { MODE: "wait", CLEANUP_MS: "350", GRACE: "300" });
    await app.waitForLine(/^ready/);
    app.kill("SIGTERM");
    expect(await within(app.exited, 15_000, "exit")).toEqual({ code: 143, signal: null });
    expect(app.lines).toContain("cleaned up");
    expect(app.stderr).toBe("");
  });

  it("exits at once with the same code on a second stop signal during shutdown", async () => {
    const app = startFixture("main.mjs", { MODE: "wait", CLEANUP_MS: "30000", GRACE: "60000" });
    await app.waitForLine(/^ready/);
    app.kill("SIGINT");
    await app.waitForLine(/^stopping/);
    app.kill("SIGINT");
    expect(await within(app.exited, 10_000, "exit after the second SIGINT")).toEqual({ code: 130, signal: null });
    expect(app.lines).not.toContain("cleaned up");
    expect(app.stderr).toMatch(/SIGINT received again during shutdown/);
  });

  it("keeps the process alive while main waits for its signal", async () => {
    const app = startFixture("main.mjs", { MODE: "wait" });
    await app.waitForLine(/^ready/);
    // main holds no handle of its own: only runMain keeps the event loop alive until the stop.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.alive).toBe(true);
    app.kill("SIGTERM");
    expect((await within(app.exited, 15_000, "exit")).code).toBe(143);
  });

  it("installs no process listener on import", async () => {
    const app = startFixture("import-only.mjs");
    expect(await within(app.exited, 15_000, "exit")).toEqual({ code: 0, signal: null });
    const before = app.lines.find((line) => line.startsWith("before "))!.slice(7);
    expect(app.lines).toContain(`after ${before}`);
  });

  it("rejects bad arguments at the call, before installing anything", () => {
    const counts = () => ["SIGINT", "SIGTERM"].map((name) => process.listenerCount(name));
    const before = counts();
    expect(() => runMain("main" as never)).toThrow(TypeError);
    expect(() => runMain(() => {}, { signals: ["SIGNOPE" as NodeJS.Signals] })).toThrow(TypeError);
    expect(() => runMain(() => {}, { timeout: -1 })).toThrow(RangeError);
    expect(() => runMain(() => {}, "x" as never)).toThrow(TypeError);
    expect(() => runMain(() => {}, 5 as never)).toThrow(TypeError);
    expect(() => runMain(() => {}, null as never)).toThrow(TypeError);
    // An array is not an options object (the timeout property makes a missed check fail loudly).
    expect(() => runMain(() => {}, Object.assign([], { timeout: -1 }) as never)).toThrow(TypeError);
    expect(counts()).toEqual(before);
  });
});
