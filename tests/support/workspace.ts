/**
 * The workspace as the release tests see it: every `packages/<name>` directory, its manifest, the
 * entry points declared in its exports map and whether its sources have been written yet.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const coreName = "@corral/cancel-core";

export interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  exports?: Record<string, unknown>;
  [field: string]: unknown;
}

/** One public entry point (`.`, `./net`, …) and the built files it points at. */
export interface Entry {
  subpath: string;
  specifier: string;
  importFile: string;
  importTypes: string;
  requireFile: string;
  requireTypes: string;
}

export interface WorkspacePackage {
  name: string;
  /** `cancel-core` for `@corral/cancel-core`; also the directory name under packages/. */
  short: string;
  dir: string;
  manifest: Manifest;
  entries: Entry[];
  /** False while `src/index.ts` is still the empty placeholder (`export {};`). */
  hasSources: boolean;
  dependsOnCore: boolean;
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

function conditionTarget(value: unknown, condition: "import" | "require", field: "types" | "default"): string {
  if (typeof value !== "object" || value === null) throw new Error(`unexpected exports entry ${JSON.stringify(value)}`);
  const branch = (value as Record<string, unknown>)[condition];
  if (typeof branch !== "object" || branch === null) throw new Error(`exports entry has no "${condition}" branch`);
  const target = (branch as Record<string, unknown>)[field];
  if (typeof target !== "string") throw new Error(`exports entry has no "${condition}.${field}" target`);
  return target;
}

function entriesOf(manifest: Manifest): Entry[] {
  const entries: Entry[] = [];
  for (const [subpath, value] of Object.entries(manifest.exports ?? {})) {
    if (value === null || subpath === "./package.json" || subpath.includes("*")) continue;
    entries.push({
      subpath,
      specifier: subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
      importFile: conditionTarget(value, "import", "default"),
      importTypes: conditionTarget(value, "import", "types"),
      requireFile: conditionTarget(value, "require", "default"),
      requireTypes: conditionTarget(value, "require", "types"),
    });
  }
  return entries;
}

function isPlaceholder(indexSource: string): boolean {
  const code = indexSource.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return /^\s*(export\s*\{\s*\}\s*;?\s*)?$/.test(code);
}

export function listPackages(): WorkspacePackage[] {
  const packagesDir = join(repoRoot, "packages");
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((dirent) => dirent.isDirectory() && existsSync(join(packagesDir, dirent.name, "package.json")))
    .map((dirent) => {
      const dir = join(packagesDir, dirent.name);
      const manifest = readJson<Manifest>(join(dir, "package.json"));
      const index = join(dir, "src", "index.ts");
      return {
        name: manifest.name,
        short: dirent.name,
        dir,
        manifest,
        entries: entriesOf(manifest),
        hasSources: existsSync(index) && !isPlaceholder(readFileSync(index, "utf8")),
        dependsOnCore: manifest.dependencies?.[coreName] !== undefined,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function findPackage(name: string): WorkspacePackage {
  const found = listPackages().find((pkg) => pkg.name === name);
  if (found === undefined) throw new Error(`${name} is not a workspace package`);
  return found;
}

/** Fails with a message that says what to do when a package has not been built. */
export function assertBuilt(pkg: WorkspacePackage): void {
  for (const entry of pkg.entries) {
    for (const file of [entry.importFile, entry.requireFile, entry.importTypes, entry.requireTypes]) {
      if (!existsSync(join(pkg.dir, file))) {
        throw new Error(
          `${pkg.name}: ${join("packages", pkg.short, file)} is missing — run \`pnpm build\` first (npm test builds before testing)`,
        );
      }
    }
  }
}

/** Every file under `dir`, as paths relative to it with forward slashes. */
export function listFiles(dir: string, prefix = ""): string[] {
  const files: string[] = [];
  for (const dirent of readdirSync(dir, { withFileTypes: true })) {
    const relative = prefix === "" ? dirent.name : `${prefix}/${dirent.name}`;
    if (dirent.isDirectory()) files.push(...listFiles(join(dir, dirent.name), relative));
    else files.push(relative);
  }
  return files.sort();
}
