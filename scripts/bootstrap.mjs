#!/usr/bin/env node
// Entry point of `npm test` and `npm run demo` on a machine that has only Node and npm.
// It installs the pinned pnpm into ./.tools (never through corepack, which fails on some
// machines), installs the locked dependencies when they are missing or stale, builds, and
// then runs the requested task. Plain JavaScript so that it runs before anything is installed.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const pnpmVersion = rootPackage.packageManager.replace(/^pnpm@/, "");
const tools = join(root, ".tools");
const env = {
  ...process.env,
  PATH: [join(tools, "node_modules", ".bin"), join(root, "node_modules", ".bin"), process.env.PATH].join(delimiter),
  // turbo asks before sending telemetry; nobody is there to answer on CI.
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
};

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    console.error(`\n${command} ${args.join(" ")} failed with exit code ${result.status ?? result.signal}`);
    process.exit(result.status || 1);
  }
}

function hasPnpm() {
  const result = spawnSync("pnpm", ["--version"], { cwd: root, env, encoding: "utf8" });
  return result.status === 0 && result.stdout.trim() === pnpmVersion;
}

function dependenciesAreCurrent() {
  const marker = join(root, "node_modules", ".modules.yaml");
  if (!existsSync(marker)) return false;
  return statSync(marker).mtimeMs >= statSync(join(root, "pnpm-lock.yaml")).mtimeMs;
}

const task = process.argv[2];
const tasks = {
  test: [
    ["pnpm", ["build"]],
    ["pnpm", ["typecheck"]],
    ["pnpm", ["lint"]],
    // The docs site and the universal packages are also tested in Debian's headless Chromium.
    ["node", ["scripts/ensure-chromium.mjs"]],
    ["pnpm", ["test:unit"]],
  ],
  demo: [["pnpm", ["build"]], ["pnpm", ["exec", "tsx", "scripts/demo.ts"]]],
};
if (!(task in tasks)) {
  console.error(`usage: node scripts/bootstrap.mjs <${Object.keys(tasks).join("|")}>`);
  process.exit(2);
}

if (!hasPnpm()) {
  console.log(`> installing pnpm@${pnpmVersion} into .tools/`);
  run("npm", ["install", "--prefix", tools, "--no-audit", "--no-fund", "--loglevel=error", `pnpm@${pnpmVersion}`]);
}
if (!dependenciesAreCurrent()) {
  console.log("> installing locked dependencies");
  run("pnpm", ["install", "--frozen-lockfile"]);
}
for (const [command, args] of tasks[task]) {
  console.log(`> ${command} ${args.join(" ")}`);
  run(command, args);
}
