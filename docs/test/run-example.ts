/**
 * Runs one docs example the way a reader would (`npx tsx docs/examples/<package>/<topic>.ts`)
 * and returns what it printed. tsx picks up the root tsconfig's `paths`, so `@corral/*` resolves
 * to the package sources.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface ExampleRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const docsDir = fileURLToPath(new URL("..", import.meta.url));

export function runExample(relativePath: string, options: { timeout?: number } = {}): Promise<ExampleRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", `examples/${relativePath}`], {
      cwd: docsDir,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: options.timeout ?? 30_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
