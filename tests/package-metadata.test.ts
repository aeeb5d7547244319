/**
 * Issue 11: every package is publishable on its own — the registry fields a user and a bundler
 * read, a README that starts with the install line for that package alone, and a CHANGELOG.md in
 * the format changesets writes.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { installBlockOf } from "./support/readme.js";
import { listPackages, type Manifest, readJson, repoRoot } from "./support/workspace.js";

const packages = listPackages();
const root = readJson<Manifest & { license: string; engines: { node: string } }>(join(repoRoot, "package.json"));
const repositoryUrls = new Set(
  packages.map((pkg) => (pkg.manifest.repository as { url?: unknown } | undefined)?.url).filter((url) => url !== undefined),
);

describe("installBlockOf()", () => {
  it("finds the install block after a title and rejects prose or a second command before it", () => {
    expect(installBlockOf("# @corral/x\n\n```sh\nnpm install @corral/x\n```\n\nText")).toBe("npm install @corral/x");
    expect(installBlockOf("```\nnpm install @corral/x\n```\n# @corral/x")).toBe("npm install @corral/x");
    expect(installBlockOf("# @corral/x\n\nSome prose.\n\n```sh\nnpm install @corral/x\n```")).toBeUndefined();
    expect(installBlockOf("```sh\nnpm install @corral/x @corral/cancel-core\n```")).toBe("npm install @corral/x @corral/cancel-core");
    expect(installBlockOf("```sh\nnpm install @corral/x\n")).toBeUndefined();
  });
});

for (const pkg of packages) {
  describe(`${pkg.name} metadata`, () => {
    const manifest = pkg.manifest;

    it("has a description and keywords", () => {
      expect(typeof manifest.description === "string" && manifest.description.trim().length > 0, "description").toBe(true);
      const keywords = manifest.keywords as unknown;
      expect(Array.isArray(keywords) && keywords.length > 0, "keywords is a non-empty array").toBe(true);
      for (const keyword of keywords as unknown[]) expect(typeof keyword === "string" && keyword.trim() !== "", `keyword ${String(keyword)}`).toBe(true);
      expect(new Set(keywords as string[]).size).toBe((keywords as string[]).length);
    });

    it("has the repository's license, and the LICENSE file that pnpm pack ships", () => {
      expect(manifest.license).toBe(root.license);
      expect(existsSync(join(pkg.dir, "LICENSE")) || existsSync(join(repoRoot, "LICENSE"))).toBe(true);
    });

    it("points its repository field at its own directory of the one repository", () => {
      expect(manifest.repository).toMatchObject({ type: "git", directory: `packages/${pkg.short}` });
      expect((manifest.repository as { url: string }).url).toMatch(/^git\+https:\/\/.+\.git$/);
      expect(repositoryUrls.size, `repository urls differ: ${[...repositoryUrls].join(", ")}`).toBe(1);
    });

    it("declares the repository's Node engine range", () => {
      expect(manifest.engines).toEqual({ node: root.engines.node });
    });

    it("is side-effect free for bundlers", () => {
      expect(manifest.sideEffects).toBe(false);
    });

    it("publishes only dist (files), publicly, and every entry point lies inside it", () => {
      expect(manifest.files).toEqual(["dist"]);
      expect(manifest.publishConfig).toMatchObject({ access: "public" });
      for (const entry of pkg.entries) {
        for (const target of [entry.importFile, entry.importTypes, entry.requireFile, entry.requireTypes]) expect(target).toMatch(/^\.\/dist\//);
      }
    });

    it.skipIf(!pkg.hasSources)(`has a README.md that starts with \`npm install ${pkg.name}\``, () => {
      const path = join(pkg.dir, "README.md");
      expect(existsSync(path), `packages/${pkg.short}/README.md is missing`).toBe(true);
      expect(installBlockOf(readFileSync(path, "utf8"))).toBe(`npm install ${pkg.name}`);
    });

    it("has a CHANGELOG.md in the changesets format", () => {
      const path = join(pkg.dir, "CHANGELOG.md");
      expect(existsSync(path), `packages/${pkg.short}/CHANGELOG.md is missing`).toBe(true);
      const [title, ...rest] = readFileSync(path, "utf8").split("\n");
      expect(title).toBe(`# ${pkg.name}`);
      // changesets inserts each release as a "## <version>" section right below the title.
      for (const line of rest.filter((text) => /^#{1,2} /.test(text))) expect(line).toMatch(/^## \d+\.\d+\.\d+/);
    });
  });
}
