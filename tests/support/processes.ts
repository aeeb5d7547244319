/**
 * Child processes for the release tests: the tools run as a user would run them, with an
 * environment free of the npm/pnpm/vitest settings of the process that runs the tests.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./workspace.js";

export interface ProcessResult {
  command: string;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a user's shell: no npm_* settings inherited from `pnpm test`, no loaders. */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|VITEST|NODE_OPTIONS$|NODE_ENV$|TEST$)/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, NO_UPDATE_NOTIFIER: "1", ...extra };
}

export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number },
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? userEnv(),
        timeout: options.timeout ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== "number" && error.killed !== true) {
          reject(error);
          return;
        }
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ command: [command, ...args].join(" "), code, stdout, stderr });
      },
    );
  });
}

export function describeResult(result: ProcessResult): string {
  return `$ ${result.command}\nexit code ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}

/** Runs a command and throws, with everything it printed, unless it exits with 0. */
export async function runOk(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number },
): Promise<ProcessResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new Error(`command failed\n${describeResult(result)}`);
  return result;
}

/** The pinned pnpm that `npm test` installs into .tools/, else the one on PATH. */
export function pnpmBin(): string {
  const pinned = join(repoRoot, ".tools", "node_modules", ".bin", "pnpm");
  return existsSync(pinned) ? pinned : "pnpm";
}

/** A binary of the root's devDependencies (tsc, changeset). */
export function rootBin(name: string): string {
  const path = join(repoRoot, "node_modules", ".bin", name);
  if (!existsSync(path)) throw new Error(`${path} is missing: the root dependencies are not installed`);
  return path;
}

/** Limits how many of `tasks` run at once; keeps the order of results. */
export async function inBatches<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * `npm install` of local tarballs only, in one command, without the registry: `--offline` with an
 * empty cache and an empty user config, so a package that is not among the tarballs fails the
 * install instead of being fetched.
 */
export async function npmInstall(
  projectDir: string,
  specs: readonly string[],
  options: { nested?: boolean } = {},
): Promise<ProcessResult> {
  const npmDir = join(projectDir, ".npm-test");
  mkdirSync(npmDir, { recursive: true });
  const userconfig = join(npmDir, "npmrc");
  writeFileSync(userconfig, "");
  const args = [
    "install",
    "--offline",
    "--no-audit",
    "--no-fund",
    "--no-update-notifier",
    "--loglevel=error",
    `--cache=${join(npmDir, "cache")}`,
    `--userconfig=${userconfig}`,
    ...(options.nested === true ? ["--install-strategy=nested"] : []),
    ...specs,
  ];
  return runOk("npm", args, { cwd: projectDir, env: userEnv({ npm_config_userconfig: userconfig }) });
}
