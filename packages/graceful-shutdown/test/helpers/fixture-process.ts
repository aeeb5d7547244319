/**
 * Real processes for the tests that are about processes: run a fixture script (which imports the
 * BUILT package by name), read its output line by line, send it signals, await its exit.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("../../", import.meta.url));
const fixturesDir = fileURLToPath(new URL("../fixtures/", import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class FixtureProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  stdout = "";
  stderr = "";
  readonly #waiters = new Set<() => void>();

  /** True when the process leads a process group of its own (see {@link FixtureOptions}). */
  readonly detached: boolean;

  constructor(script: string, env: Record<string, string> = {}, options: FixtureOptions = {}) {
    this.detached = options.detached ?? false;
    this.child = spawn(process.execPath, [join(fixturesDir, script)], {
      cwd: fixturesDir,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: this.detached,
    });
    this.child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      this.stdout += chunk;
      for (const waiter of this.#waiters) waiter();
    });
    this.child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => {
      this.child.on("close", (code, signal) => {
        for (const waiter of this.#waiters) waiter();
        resolve({ code, signal });
      });
    });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get lines(): string[] {
    return this.stdout.split("\n").filter((line) => line.length > 0);
  }

  /** Wait until a line of stdout matches; generous by default, for a loaded machine. */
  waitForLine(pattern: RegExp, timeout = 15_000): Promise<RegExpExecArray> {
    return this.#waitFor(
      (lines) => {
        for (const line of lines) {
          const match = pattern.exec(line);
          if (match) return match;
        }
        return undefined;
      },
      `a line matching ${pattern}`,
      timeout,
    );
  }

  /** Wait until `count` lines of stdout match. */
  async waitForLines(pattern: RegExp, count: number, timeout = 15_000): Promise<void> {
    await this.#waitFor(
      (lines) => (lines.filter((line) => pattern.test(line)).length >= count ? true : undefined),
      `${count} lines matching ${pattern}`,
      timeout,
    );
  }

  #waitFor<T>(find: (lines: string[]) => T | undefined, what: string, timeout: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = find(this.lines);
        if (found !== undefined) {
          done();
          resolve(found);
        } else if (!this.alive) {
          done();
          reject(new Error(`process exited before printing ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${what} within ${timeout} ms\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
      }, timeout);
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Signal the whole process group, as a terminal's Ctrl-C does (needs `detached: true`). */
  killGroup(signal: NodeJS.Signals): void {
    if (!this.detached || this.child.pid === undefined) throw new Error("killGroup() needs a fixture started with detached: true");
    process.kill(-this.child.pid, signal);
  }
}

export interface FixtureOptions {
  /** Start the process as the leader of a new process group, which its children (cluster workers) join. */
  detached?: boolean;
}

const spawned = new Set<FixtureProcess>();

export function startFixture(script: string, env?: Record<string, string>, options?: FixtureOptions): FixtureProcess {
  const fixture = new FixtureProcess(script, env, options);
  spawned.add(fixture);
  return fixture;
}

/** For afterEach: SIGKILL every fixture (and its workers' process group is theirs to reap) still alive. */
export async function killFixtures(): Promise<void> {
  const alive = [...spawned].filter((fixture) => fixture.alive);
  spawned.clear();
  for (const fixture of alive) {
    try {
      if (fixture.detached) fixture.killGroup("SIGKILL");
      else fixture.kill("SIGKILL");
    } catch {
      // exited meanwhile
    }
  }
  await Promise.all(alive.map((fixture) => fixture.exited));
}

/** Fail the promise if it does not settle in time, instead of letting the whole test time out silently. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The fixtures import the built package (dist/). The full test run builds first; when dist is
 * missing (a fresh clone running vitest directly), build it here, once, under a lock shared by
 * the test files that run in parallel.
 */
export function ensureBuilt(): void {
  if (isBuilt()) return;
  const lock = join(tmpdir(), "corral-graceful-shutdown-build.lock");
  const giveUp = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || Date.now() > giveUp) throw error;
      // Another test file is building: wait for it.
      spawnSync(process.execPath, ["-e", "setTimeout(() => {}, 200)"]);
      if (isBuilt()) return;
    }
  }
  try {
    if (isBuilt()) return;
    const tsup = join(packageDir, "../../node_modules/tsup/dist/cli-default.js");
    for (const dir of [join(packageDir, "../cancel-core"), packageDir]) {
      if (dir !== packageDir && existsSync(join(dir, "dist/index.js"))) continue;
      const result = spawnSync(process.execPath, [tsup], { cwd: dir, stdio: "inherit" });
      if (result.status !== 0) throw new Error(`building ${dir} failed`);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function isBuilt(): boolean {
  const index = join(packageDir, "dist/index.js");
  const cluster = join(packageDir, "dist/cluster.js");
  return (
    existsSync(join(packageDir, "../cancel-core/dist/index.js")) &&
    existsSync(index) &&
    existsSync(cluster) &&
    readFileSync(index, "utf8").includes("runMain") &&
    readFileSync(cluster, "utf8").includes("runCluster")
  );
}
