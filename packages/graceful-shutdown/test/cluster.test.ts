import { get } from "node:http";
import { runCluster } from "@corral/graceful-shutdown/cluster";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, type FixtureProcess, killFixtures, startFixture, within } from "./helpers/fixture-process.js";

beforeAll(ensureBuilt, 120_000);
afterEach(killFixtures);

const pids = new Set<number>();
afterEach(() => {
  // Workers of a primary that was SIGKILLed exit on their own (their IPC channel closes), but
  // make sure no worker of a failed test outlives it.
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone: the expected case
    }
  }
  pids.clear();
});

async function workersListening(app: FixtureProcess, count: number): Promise<Map<number, number>> {
  await app.waitForLines(/^worker \d+ listening/, count);
  const workers = new Map<number, number>();
  for (const line of app.lines) {
    const match = /^worker (\d+) listening \d+ pid (\d+)$/.exec(line);
    if (match) {
      workers.set(Number(match[1]), Number(match[2]));
      pids.add(Number(match[2]));
    }
  }
  return workers;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("runCluster()", () => {
  it("forwards the first SIGTERM to every worker, waits for them, and exits 143", async () => {
    const app = startFixture("cluster.mjs", { WORKERS: "3" });
    const workers = await workersListening(app, 3);
    expect([...workers.keys()].sort()).toEqual([0, 1, 2]);
    app.kill("SIGTERM");
    expect(await within(app.exited, 20_000, "primary exit")).toEqual({ code: 143, signal: null });
    for (const index of [0, 1, 2]) {
      expect(app.lines).toContain(`worker ${index} stopping: Cancelled: SIGTERM`);
      expect(app.lines).toContain(`worker ${index} stopped`);
    }
    for (const pid of workers.values()) expect(alive(pid)).toBe(false);
  }, 40_000);

  it("forwards SIGINT and exits 130", async () => {
    const app = startFixture("cluster.mjs", { WORKERS: "2" });
    await workersListening(app, 2);
    app.kill("SIGINT");
    expect(await within(app.exited, 20_000, "primary exit")).toEqual({ code: 130, signal: null });
    expect(app.lines).toContain("worker 0 stopping: Cancelled: SIGINT");
    expect(app.lines).toContain("worker 1 stopped");
  }, 40_000);

  it("SIGKILLs a worker that has not stopped when the grace period ends", async () => {
    const app = startFixture("cluster.mjs", { WORKERS: "2", MODE: "stuck", GRACE: "700" });
    const workers = await workersListening(app, 2);
    app.kill("SIGTERM");
    expect(await within(app.exited, 20_000, "primary exit")).toEqual({ code: 143, signal: null });
    expect(app.lines).toContain("worker 1 stuck");
    expect(app.lines).toContain("worker 0 stopped");
    expect(app.stderr).toMatch(/worker 1 did not stop within the grace period \(700 ms\): killing it/);
    expect(alive(workers.get(1)!)).toBe(false);
  }, 40_000);

  it("stops the other workers in order when one crashes during start-up, and exits 1", async () => {
    const app = startFixture("cluster.mjs", { WORKERS: "2", MODE: "crash-at-start" });
    expect(await within(app.exited, 20_000, "primary exit")).toEqual({ code: 1, signal: null });
    expect(app.stderr).toMatch(/worker 1 failed to start/);
    expect(app.stderr).toMatch(/worker 1 exited with code 1 during start-up: stopping the other workers/);
    // Worker 0 got an orderly stop, not a kill: it ran its shutdown path if it had started.
    expect(app.lines.some((line) => line.startsWith("worker 1 listening"))).toBe(false);
    if (app.lines.some((line) => line.startsWith("worker 0 listening"))) expect(app.lines).toContain("worker 0 stopped");
  }, 40_000);

  it("replaces a worker that crashes after start-up when restartOnCrash is set", async () => {
    const app = startFixture("cluster.mjs", { WORKERS: "2", MODE: "crash-later", RESTART: "1" });
    const workers = await workersListening(app, 2);
    const port = Number(/^worker \d+ listening (\d+)/.exec(app.lines.find((line) => line.includes("listening"))!)![1]);
    await new Promise<void>((resolve) => {
      get({ host: "127.0.0.1", port, path: "/crash" }, (res) => res.resume())
        .on("error", () => resolve())
        .on("close", () => resolve());
    });
    const crashed = Number((await app.waitForLine(/^worker (\d+) crashing$/))[1]);
    await app.waitForLines(new RegExp(`^worker ${crashed} listening`), 2);
    const replacements = await workersListening(app, 3);
    expect(replacements.get(crashed)).not.toBe(workers.get(crashed));
    expect(app.stderr).toMatch(new RegExp(`worker ${crashed} exited with code 3: starting a replacement`));
    app.kill("SIGTERM");
    expect(await within(app.exited, 20_000, "primary exit")).toEqual({ code: 143, signal: null });
  }, 40_000);

  it("stops the cluster (exit 1) when a worker crashes after start-up without restartOnCrash", async () => {
    const app = startFixture("cluster.mjs", { WORKERS: "2", MODE: "crash-later" });
    const workers = await workersListening(app, 2);
    const port = Number(/^worker \d+ listening (\d+)/.exec(app.lines.find((line) => line.includes("listening"))!)![1]);
    get({ host: "127.0.0.1", port, path: "/crash" }, (res) => res.resume()).on("error", () => {});
    expect(await within(app.exited, 20_000, "primary exit")).toEqual({ code: 1, signal: null });
    expect(app.stderr).toMatch(/exited with code 3: stopping the other workers/);
    for (const pid of workers.values()) expect(alive(pid)).toBe(false);
  }, 40_000);

  it("exits at once on a second stop signal, killing the workers", async () => {
    const app = startFixture("cluster.mjs", { WORKERS: "2", MODE: "stuck", GRACE: "60000" });
    const workers = await workersListening(app, 2);
    app.kill("SIGTERM");
    await app.waitForLine(/^worker 1 stuck$/);
    app.kill("SIGTERM");
    expect(await within(app.exited, 10_000, "primary exit")).toEqual({ code: 143, signal: null });
    expect(app.stderr).toMatch(/SIGTERM received again during shutdown/);
    const stuck = workers.get(1)!;
    const deadline = Date.now() + 5_000;
    while (alive(stuck) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(alive(stuck)).toBe(false);
  }, 40_000);

  it("exits a worker at once on a later second stop signal, as runMain does", async () => {
    const app = startFixture("cluster.mjs", { WORKERS: "1", MODE: "slow-stop", GRACE: "60000" });
    const workers = await workersListening(app, 1);
    app.kill("SIGTERM");
    await app.waitForLine(/^worker 0 stopping: Cancelled: SIGTERM$/);
    // Well past the window in which a repeat counts as the copy of the first signal.
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(workers.get(0)!, "SIGTERM");
    expect(await within(app.exited, 10_000, "primary exit")).toEqual({ code: 143, signal: null });
    expect(app.stderr).toMatch(/SIGTERM received again during shutdown: exiting now with code 143/);
    expect(app.lines).not.toContain("worker 0 stopped");
    expect(alive(workers.get(0)!)).toBe(false);
  }, 40_000);

  it("treats a Ctrl-C that reaches the primary and the workers as one stop signal", async () => {
    const app = startFixture("cluster.mjs", { WORKERS: "2" }, { detached: true });
    await workersListening(app, 2);
    // The terminal sends SIGINT to the whole process group; the primary then forwards it again.
    app.killGroup("SIGINT");
    expect(await within(app.exited, 20_000, "primary exit")).toEqual({ code: 130, signal: null });
    expect(app.lines).toContain("worker 0 stopped");
    expect(app.lines).toContain("worker 1 stopped");
    expect(app.stderr).not.toMatch(/received again/);
  }, 40_000);

  it("rejects bad arguments at the call", () => {
    expect(() => runCluster("main" as never)).toThrow(TypeError);
    expect(() => runCluster(() => {}, { workers: 0 })).toThrow(RangeError);
    expect(() => runCluster(() => {}, { workers: 1.5 })).toThrow(RangeError);
    expect(() => runCluster(() => {}, { workers: "2" as never })).toThrow(TypeError);
    expect(() => runCluster(() => {}, { restartOnCrash: "yes" as never })).toThrow(TypeError);
    expect(() => runCluster(() => {}, { timeout: -1 })).toThrow(RangeError);
    expect(() => runCluster(() => {}, { signals: ["SIGWHAT" as NodeJS.Signals] })).toThrow(TypeError);
    expect(() => runCluster(() => {}, "workers" as never)).toThrow(TypeError);
    expect(() => runCluster(() => {}, 4 as never)).toThrow(TypeError);
    expect(() => runCluster(() => {}, null as never)).toThrow(TypeError);
    // An array is not an options object (the workers property makes a missed check fail loudly).
    expect(() => runCluster(() => {}, Object.assign([], { workers: 0 }) as never)).toThrow(TypeError);
  });
});
