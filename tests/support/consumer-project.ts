/**
 * A fresh application that installs one corral package (plus cancel-core) from packed tarballs with
 * plain npm, and the files a user would write in it: an ESM script, a CommonJS script and a
 * TypeScript consumer with one tsconfig per module resolution mode.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Packed } from "./pack.js";
import { npmInstall, run, rootBin, type ProcessResult } from "./processes.js";
import { profileOf } from "./profiles.js";
import { coreName, repoRoot, type WorkspacePackage } from "./workspace.js";

export interface SmokeReport {
  format: "esm" | "cjs";
  exports: Record<string, string[]>;
}

function esmScript(pkg: WorkspacePackage, smoke: string): string {
  const imports = pkg.entries.map((entry, index) => `import * as entry${index} from ${JSON.stringify(entry.specifier)};`);
  const mods = pkg.entries.map((entry, index) => `${JSON.stringify(entry.specifier)}: entry${index}`);
  return [
    `import assert from "node:assert/strict";`,
    ...imports,
    `const mods = { ${mods.join(", ")} };`,
    `{`,
    smoke,
    `}`,
    `const exports = Object.fromEntries(Object.entries(mods).map(([specifier, mod]) => [specifier, Object.keys(mod).sort()]));`,
    `console.log(JSON.stringify({ format: "esm", exports }));`,
    ``,
  ].join("\n");
}

function cjsScript(pkg: WorkspacePackage, smoke: string): string {
  const mods = pkg.entries.map((entry) => `${JSON.stringify(entry.specifier)}: require(${JSON.stringify(entry.specifier)})`);
  return [
    `"use strict";`,
    `const assert = require("node:assert/strict");`,
    `const mods = { ${mods.join(", ")} };`,
    `(async () => {`,
    smoke,
    `})().then(`,
    `  () => {`,
    `    const exports = Object.fromEntries(Object.entries(mods).map(([specifier, mod]) => [specifier, Object.keys(mod).sort()]));`,
    `    console.log(JSON.stringify({ format: "cjs", exports }));`,
    `  },`,
    `  (error) => {`,
    `    console.error(error);`,
    `    process.exitCode = 1;`,
    `  },`,
    `);`,
    ``,
  ].join("\n");
}

function tsconfig(mode: "node16" | "bundler", types: "dom" | "node"): string {
  const compilerOptions = {
    module: mode === "node16" ? "node16" : "esnext",
    moduleResolution: mode,
    target: "ES2022",
    lib: types === "dom" ? ["ES2022", "ESNext.Disposable", "DOM"] : ["ES2022", "ESNext.Disposable"],
    // A universal package must type-check without @types/node; a Node-only one with the root's copy.
    types: types === "dom" ? [] : ["node"],
    ...(types === "node" ? { typeRoots: [join(repoRoot, "node_modules", "@types")] } : {}),
    strict: true,
    noEmit: true,
    // Under node16 the packages' declaration files are checked too (TypeScript's own lib files
    // are not); bundler mode resolves the same files, so it checks only the consumer's use of them.
    skipLibCheck: mode === "bundler",
    skipDefaultLibCheck: true,
  };
  const files = mode === "node16" ? ["consumer.mts", "consumer.cts"] : ["consumer.mts"];
  return `${JSON.stringify({ compilerOptions, files }, null, 2)}\n`;
}

/** Creates `<parent>/<short name>` and installs the package's tarball and cancel-core's. */
export async function createConsumerProject(parent: string, pkg: WorkspacePackage, packed: ReadonlyMap<string, Packed>): Promise<string> {
  const profile = profileOf(pkg.name);
  const dir = join(parent, pkg.short);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: `uses-${pkg.short}`, version: "1.0.0", private: true }, null, 2)}\n`);
  const tarballs = [pkg.name, coreName].filter((name, index, all) => all.indexOf(name) === index).map((name) => {
    const tarball = packed.get(name)?.tarball;
    if (tarball === undefined) throw new Error(`no tarball for ${name}`);
    return tarball;
  });
  await npmInstall(dir, tarballs);
  writeFileSync(join(dir, "smoke.mjs"), esmScript(pkg, profile.smoke));
  writeFileSync(join(dir, "smoke.cjs"), cjsScript(pkg, profile.smoke));
  writeFileSync(join(dir, "consumer.mts"), profile.consumer);
  writeFileSync(join(dir, "consumer.cts"), profile.consumer);
  writeFileSync(join(dir, "tsconfig.node16.json"), tsconfig("node16", profile.consumerTypes));
  writeFileSync(join(dir, "tsconfig.bundler.json"), tsconfig("bundler", profile.consumerTypes));
  return dir;
}

export function runSmoke(dir: string, format: "esm" | "cjs"): Promise<ProcessResult> {
  return run(process.execPath, [format === "esm" ? "smoke.mjs" : "smoke.cjs"], { cwd: dir, timeout: 30_000 });
}

export function typecheck(dir: string, mode: "node16" | "bundler"): Promise<ProcessResult> {
  return run(rootBin("tsc"), ["-p", `tsconfig.${mode}.json`, "--pretty", "false"], { cwd: dir, timeout: 60_000 });
}
