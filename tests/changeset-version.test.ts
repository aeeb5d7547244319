/**
 * Issue 11: `changeset version` produces sane bumps. It runs in a scratch copy of the workspace's
 * release files (root manifest, pnpm-workspace.yaml, .changeset/config.json, every workspace
 * package's package.json and CHANGELOG.md), offline; the published ranges are then read from
 * `pnpm pack` in the scratch workspace, which rewrites `workspace:^` the way publishing does.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tarballManifest, tempDir } from "./support/pack.js";
import { pnpmBin, rootBin, runOk } from "./support/processes.js";
import { coreName, listPackages, type Manifest, readJson, repoRoot } from "./support/workspace.js";

type Bump = "patch" | "minor" | "major";

const packages = listPackages();
const scratches: ReturnType<typeof tempDir>[] = [];

afterAll(() => {
  for (const scratch of scratches) scratch.remove();
});

function increment(version: string, bump: Bump): string {
  const [major = 0, minor = 0, patch = 0] = version.split(".").map(Number);
  if (bump === "major") return `${major + 1}.0.0`;
  if (bump === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** Directories of the workspace's packages, from the patterns in pnpm-workspace.yaml. */
function workspaceDirs(): string[] {
  const yaml = readFileSync(join(repoRoot, "pnpm-workspace.yaml"), "utf8");
  const section = /^packages:\s*\n((?:\s+-\s+.+\n?)+)/m.exec(yaml)?.[1] ?? "";
  const patterns = [...section.matchAll(/-\s+["']?([^"'\n]+)["']?/g)].map((match) => (match[1] ?? "").trim());
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith("/*")) return existsSync(join(repoRoot, pattern, "package.json")) ? [pattern] : [];
    const parent = pattern.slice(0, -2);
    return readdirSync(join(repoRoot, parent), { withFileTypes: true })
      .filter((dirent) => dirent.isDirectory() && existsSync(join(repoRoot, parent, dirent.name, "package.json")))
      .map((dirent) => `${parent}/${dirent.name}`);
  });
}

/** A scratch copy of the release files, with `changesets` written into .changeset/. */
function scratchWorkspace(changesets: Record<string, string>): string {
  const scratch = tempDir("changeset-version");
  scratches.push(scratch);
  const copy = (relative: string): void => {
    const from = join(repoRoot, relative);
    if (!existsSync(from)) return;
    mkdirSync(dirname(join(scratch.path, relative)), { recursive: true });
    copyFileSync(from, join(scratch.path, relative));
  };
  for (const file of ["package.json", "pnpm-workspace.yaml", ".changeset/config.json"]) copy(file);
  for (const dir of workspaceDirs()) {
    copy(`${dir}/package.json`);
    copy(`${dir}/CHANGELOG.md`);
  }
  for (const [file, text] of Object.entries(changesets)) writeFileSync(join(scratch.path, ".changeset", file), text);
  return scratch.path;
}

async function changesetVersion(scratch: string): Promise<void> {
  await runOk(rootBin("changeset"), ["version"], { cwd: scratch });
}

/** Packs every package of the scratch workspace and returns the published manifests. */
async function publishedManifests(scratch: string): Promise<Map<string, Manifest>> {
  for (const pkg of packages.filter((candidate) => candidate.dependsOnCore)) {
    // `pnpm pack` resolves `workspace:` ranges through the installed link, as after `pnpm install`.
    const link = join(scratch, "packages", pkg.short, "node_modules", coreName);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(scratch, "packages", "cancel-core"), link, "dir");
  }
  const out = join(scratch, "tarballs");
  const result = await runOk(pnpmBin(), ["-r", "--filter", "./packages/*", "pack", "--pack-destination", out, "--json"], { cwd: scratch });
  const manifests = new Map<string, Manifest>();
  for (const item of JSON.parse(result.stdout) as { name: string; filename: string }[]) {
    manifests.set(item.name, tarballManifest(item.filename));
  }
  return manifests;
}

function scratchManifest(scratch: string, short: string): Manifest {
  return readJson<Manifest>(join(scratch, "packages", short, "package.json"));
}

function scratchChangelog(scratch: string, short: string): string {
  const path = join(scratch, "packages", short, "CHANGELOG.md");
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

function pendingChangesets(scratch: string): string[] {
  return readdirSync(join(scratch, ".changeset")).filter((file) => file.endsWith(".md") && file !== "README.md");
}

describe("changeset version, for a change to cancel-core only", () => {
  const core = packages.find((pkg) => pkg.name === coreName);
  const coreVersion = core?.manifest.version ?? "0.0.0";
  const newCore = increment(coreVersion, "minor");

  it("bumps cancel-core, patches every dependent to the new range, and leaves the rest alone", async () => {
    const scratch = scratchWorkspace({
      "core-change.md": `---\n"${coreName}": minor\n---\n\nA new option for \`CancelScope\`.\n`,
    });
    await changesetVersion(scratch);
    expect(pendingChangesets(scratch)).toEqual([]);
    const published = await publishedManifests(scratch);

    expect(scratchManifest(scratch, "cancel-core").version).toBe(newCore);
    expect(scratchChangelog(scratch, "cancel-core")).toMatch(
      new RegExp(`^# ${coreName}\\n\\n## ${newCore.replaceAll(".", "\\.")}\\n\\n### Minor Changes\\n\\n- A new option for \`CancelScope\`\\.`),
    );
    for (const pkg of packages.filter((candidate) => candidate.name !== coreName)) {
      const after = scratchManifest(scratch, pkg.short);
      if (pkg.dependsOnCore) {
        const version = increment(pkg.manifest.version, "patch");
        expect(after.version, `${pkg.name} version`).toBe(version);
        expect(published.get(pkg.name)?.dependencies?.[coreName], `${pkg.name}'s published range`).toBe(`^${newCore}`);
        const changelog = scratchChangelog(scratch, pkg.short);
        expect(changelog.startsWith(`# ${pkg.name}\n\n## ${version}\n`), changelog).toBe(true);
        expect(changelog).toContain(`- ${coreName}@${newCore}`);
      } else {
        expect(after.version, `${pkg.name} does not depend on cancel-core`).toBe(pkg.manifest.version);
        expect(scratchChangelog(scratch, pkg.short)).toBe(
          existsSync(join(pkg.dir, "CHANGELOG.md")) ? readFileSync(join(pkg.dir, "CHANGELOG.md"), "utf8") : "",
        );
      }
    }
  });
});

const repositoryChangesets = readdirSync(join(repoRoot, ".changeset")).filter((file) => file.endsWith(".md") && file !== "README.md");

describe.skipIf(repositoryChangesets.length === 0)("changeset version, for the repository's pending changesets", () => {
  it("bumps each package by its highest declared bump, patches dependents of a bumped cancel-core, and changes no major version unasked", async () => {
    const declared = new Map<string, Bump>();
    const order: Bump[] = ["patch", "minor", "major"];
    const changesets: Record<string, string> = {};
    for (const file of repositoryChangesets) {
      const text = readFileSync(join(repoRoot, ".changeset", file), "utf8");
      changesets[file] = text;
      const frontmatter = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? "";
      for (const match of frontmatter.matchAll(/^\s*["']?([^"':]+)["']?\s*:\s*(patch|minor|major)\s*$/gm)) {
        const [name, bump] = [match[1] ?? "", match[2] as Bump];
        const previous = declared.get(name);
        if (previous === undefined || order.indexOf(bump) > order.indexOf(previous)) declared.set(name, bump);
      }
    }
    const scratch = scratchWorkspace(changesets);
    await changesetVersion(scratch);
    expect(pendingChangesets(scratch)).toEqual([]);
    const published = await publishedManifests(scratch);
    const newCore = scratchManifest(scratch, "cancel-core").version;
    const coreBumped = declared.has(coreName);

    for (const pkg of packages) {
      const bump = declared.get(pkg.name) ?? (coreBumped && pkg.dependsOnCore ? "patch" : undefined);
      const expected = bump === undefined ? pkg.manifest.version : increment(pkg.manifest.version, bump);
      const after = scratchManifest(scratch, pkg.short);
      expect(after.version, `${pkg.name}: ${pkg.manifest.version} + ${bump ?? "no bump"}`).toBe(expected);
      if (bump !== "major") expect(after.version.split(".")[0], `${pkg.name} changed its major version`).toBe(pkg.manifest.version.split(".")[0]);
      if (bump !== undefined) expect(scratchChangelog(scratch, pkg.short).startsWith(`# ${pkg.name}\n\n## ${expected}\n`)).toBe(true);
      if (pkg.dependsOnCore) expect(published.get(pkg.name)?.dependencies?.[coreName]).toBe(`^${newCore}`);
    }
  });
});
