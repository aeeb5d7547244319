/**
 * Issue 11: an application takes only the pieces it needs. Every package is packed with
 * `pnpm pack`, installed alone (plus cancel-core) into a fresh project with plain npm from the
 * local tarballs, and then used the way a user meets it: ESM import, CommonJS require, one real
 * call, and a TypeScript consumer under moduleResolution node16 and bundler.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerProject, runSmoke, type SmokeReport, typecheck } from "./support/consumer-project.js";
import { type Packed, packAll, readTarball, tarballManifest, tempDir } from "./support/pack.js";
import { describeResult, inBatches, type ProcessResult } from "./support/processes.js";
import { profiles } from "./support/profiles.js";
import { assertBuilt, coreName, listFiles, listPackages, type Manifest, readJson, type WorkspacePackage } from "./support/workspace.js";

const packages = listPackages();
const core = packages.find((pkg) => pkg.name === coreName);

let work: ReturnType<typeof tempDir> | undefined;
let packed: Map<string, Packed> | undefined;
/** Packages whose dist/ is incomplete: their tests fail with this error, the others still run. */
const buildErrors = new Map<string, unknown>();

/** One package's consumer project and what running it printed; the tests assert on these. */
interface Checks {
  dir: string;
  esm: ProcessResult;
  cjs: ProcessResult;
  node16: ProcessResult;
  bundler: ProcessResult;
}
const checks = new Map<string, Promise<Checks>>();

beforeAll(async () => {
  work = tempDir("selective-install");
  for (const pkg of packages) {
    try {
      assertBuilt(pkg);
    } catch (error) {
      buildErrors.set(pkg.name, error);
    }
  }
  const tarballs = await packAll(
    join(work.path, "tarballs"),
    packages.filter((pkg) => !buildErrors.has(pkg.name)).map((pkg) => pkg.name),
  );
  packed = tarballs;
  const parent = join(work.path, "apps");
  // Installs, scripts and type checks of different packages run side by side (tsc is single-threaded).
  await inBatches(
    packages.filter((pkg) => pkg.hasSources),
    3,
    async (pkg) => {
      const result = (async (): Promise<Checks> => {
        packedOf(pkg);
        if (core !== undefined) packedOf(core);
        const dir = await createConsumerProject(parent, pkg, tarballs);
        const esm = await runSmoke(dir, "esm");
        const cjs = await runSmoke(dir, "cjs");
        const node16 = await typecheck(dir, "node16");
        const bundler = await typecheck(dir, "bundler");
        return { dir, esm, cjs, node16, bundler };
      })();
      checks.set(pkg.name, result);
      await result.catch(() => undefined);
    },
  );
}, 240_000);

afterAll(() => {
  work?.remove();
});

function packedOf(pkg: WorkspacePackage): Packed {
  if (buildErrors.has(pkg.name)) throw buildErrors.get(pkg.name);
  const result = packed?.get(pkg.name);
  if (result === undefined) throw new Error(`${pkg.name} was not packed`);
  return result;
}

function checksOf(pkg: WorkspacePackage): Promise<Checks> {
  const result = checks.get(pkg.name);
  if (result === undefined) throw new Error(`no consumer project was created for ${pkg.name}`);
  return result;
}

function parseReport(stdout: string): SmokeReport {
  const line = stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(line) as SmokeReport;
}

describe("the package list", () => {
  it("has cancel-core and a smoke profile for every workspace package", () => {
    expect(core, "packages/cancel-core is missing").toBeDefined();
    expect(packages.map((pkg) => pkg.name).filter((name) => profiles[name] === undefined)).toEqual([]);
  });
});

for (const pkg of packages) {
  const title = pkg.hasSources ? pkg.name : `${pkg.name} (src/index.ts is still a placeholder: install checks skipped)`;

  describe(title, () => {
    it("packs with a plain ^ range on cancel-core, never a workspace: one", () => {
      const manifest = tarballManifest(packedOf(pkg).tarball);
      expect(manifest.name).toBe(pkg.name);
      expect(manifest.version).toBe(pkg.manifest.version);
      expect(JSON.stringify(manifest)).not.toContain("workspace:");
      if (pkg.dependsOnCore) {
        expect(manifest.dependencies).toEqual({ [coreName]: `^${core?.manifest.version}` });
      } else {
        expect(manifest.dependencies ?? {}).toEqual({});
      }
    });

    it.skipIf(!pkg.hasSources)("the tarball holds package.json, README, LICENSE and the built entry points, and no sources", () => {
      const files = [...readTarball(packedOf(pkg).tarball).keys()].sort();
      for (const required of ["package.json", "README.md", "LICENSE"]) expect(files).toContain(required);
      for (const entry of pkg.entries) {
        for (const target of [entry.importFile, entry.importTypes, entry.requireFile, entry.requireTypes]) {
          expect(files).toContain(target.replace(/^\.\//, ""));
        }
      }
      const unexpected = files.filter((file) => !/^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/.+)$/.test(file));
      expect(unexpected, "files outside dist/ and the standard documents").toEqual([]);
    });

    it.skipIf(!pkg.hasSources)("npm installs exactly it and cancel-core, from the local tarballs", async () => {
      const { dir } = await checksOf(pkg);
      const expected = [...new Set([pkg.name, coreName])].sort();
      expect(readdirSync(join(dir, "node_modules")).filter((name) => name !== ".package-lock.json")).toEqual(["@corral"]);
      expect(readdirSync(join(dir, "node_modules", "@corral")).map((name) => `@corral/${name}`).sort()).toEqual(expected);
      const lock = readJson<{ packages: Record<string, { resolved?: string; version?: string }> }>(join(dir, "package-lock.json"));
      for (const name of expected) {
        const source = packages.find((candidate) => candidate.name === name);
        if (source === undefined) throw new Error(`${name} is not in the workspace`);
        const installedDir = join(dir, "node_modules", name);
        expect(lock.packages[`node_modules/${name}`]?.resolved, `${name} came from the registry`).toMatch(/^file:.*\.tgz$/);
        expect(readJson<Manifest>(join(installedDir, "package.json")).version).toBe(source.manifest.version);
        // What landed in node_modules is the local tarball, byte for byte.
        const tarball = readTarball(packedOf(source).tarball);
        expect(listFiles(installedDir)).toEqual([...tarball.keys()].sort());
        for (const [file, content] of tarball) {
          if (file === "package.json") continue;
          expect(readFileSync(join(installedDir, file)).equals(content), `${name}/${file} differs from the tarball`).toBe(true);
        }
      }
    });

    it.skipIf(!pkg.hasSources)("imports as ESM and a real call works", async () => {
      const { esm } = await checksOf(pkg);
      expect(esm.code, describeResult(esm)).toBe(0);
      const report = parseReport(esm.stdout);
      for (const entry of pkg.entries) {
        expect(report.exports[entry.specifier]?.length, `${entry.specifier} exports nothing`).toBeGreaterThan(0);
        expect(report.exports[entry.specifier], "a default export").not.toContain("default");
      }
    });

    it.skipIf(!pkg.hasSources)("requires as CommonJS, a real call works, and the exports match the ESM build", async () => {
      const { esm, cjs } = await checksOf(pkg);
      expect(cjs.code, describeResult(cjs)).toBe(0);
      expect(esm.code, describeResult(esm)).toBe(0);
      expect(parseReport(cjs.stdout).exports).toEqual(parseReport(esm.stdout).exports);
    });

    it.skipIf(!pkg.hasSources)('a consumer type-checks with moduleResolution "node16" (ESM and CommonJS files)', async () => {
      const { node16 } = await checksOf(pkg);
      expect(node16.code, describeResult(node16)).toBe(0);
      expect(node16.command).toContain("tsconfig.node16.json");
    });

    it.skipIf(!pkg.hasSources)('a consumer type-checks with moduleResolution "bundler"', async () => {
      const { bundler } = await checksOf(pkg);
      expect(bundler.code, describeResult(bundler)).toBe(0);
    });
  });
}
