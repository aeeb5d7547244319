import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Runs against the BUILT package: `pnpm --filter @corral/timeout build` first (`npm test` does).
const packageDir = fileURLToPath(new URL("..", import.meta.url));

function runScript(source: string): Promise<{ code: number | null; stdout: string; stderr: string; elapsed: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // Killed after 15 s: a 60 s timer left pending would show up as a kill, not a hung test.
    const child = spawn(process.execPath, ["--input-type=module", "-e", source], {
      cwd: packageDir,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 15_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, elapsed: performance.now() - started }));
  });
}

describe("withTimeout() in a real process", () => {
  it("lets a process exit at once when its only pending thing was a finished 60 s timeout", async () => {
    expect(existsSync(`${packageDir}dist/index.js`), "build @corral/timeout first").toBe(true);
    const run = await runScript(`
      import { moveOnAfter, withDeadline, withTimeout } from "@corral/timeout";
      import { now } from "@corral/cancel-core";
      const value = await withTimeout(60_000, async (signal) => (signal.aborted ? "aborted" : "fulfilled"));
      const failed = await withTimeout(60_000, async () => { throw new Error("own error"); }).catch((e) => e.message);
      const moved = await moveOnAfter(60_000, async () => "moved");
      const dated = await withDeadline(now() + 60_000, () => "dated");
      console.log(value, failed, moved, dated);
    `);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe("fulfilled own error moved dated");
    expect(run.elapsed).toBeLessThan(5_000);
  });
});
