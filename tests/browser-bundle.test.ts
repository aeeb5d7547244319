/**
 * Issue 11: the Node-only entries (`@corral/staggered/net`, `@corral/graceful-shutdown`) stay out
 * of the universal entry points, so a browser bundle of a universal entry imports no Node
 * built-in. Checked by bundling each universal entry for the browser with esbuild.
 */
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { bundle } from "./support/bundle.js";
import { isUniversal } from "./support/profiles.js";
import { assertBuilt, listPackages, repoRoot } from "./support/workspace.js";

const packages = listPackages();

/** The built files of every Node-only entry, as esbuild names its inputs. */
const nodeOnlyFiles = packages.flatMap((pkg) =>
  pkg.entries
    .filter((entry) => !isUniversal(pkg.name, entry.subpath))
    .map((entry) => relative(repoRoot, join(pkg.dir, entry.importFile)).split("\\").join("/")),
);

describe("Node-only entry points", () => {
  it("are @corral/staggered/net and all of @corral/graceful-shutdown", () => {
    expect(nodeOnlyFiles).toEqual([
      "packages/graceful-shutdown/dist/index.js",
      "packages/graceful-shutdown/dist/cluster.js",
      "packages/staggered/dist/net.js",
    ]);
  });
});

for (const pkg of packages) {
  for (const entry of pkg.entries.filter((candidate) => isUniversal(pkg.name, candidate.subpath))) {
    describe.skipIf(!pkg.hasSources)(`${entry.specifier} in a browser bundle`, () => {
      it("pulls in no node: import and no Node-only entry", async () => {
        assertBuilt(pkg);
        const result = await bundle(`export * from "${entry.specifier}";`, "browser");
        expect(result.minified, `${entry.specifier} bundles to nothing: is dist/ a stale placeholder build?`).toBeGreaterThan(0);
        expect(result.builtins, "Node built-ins imported by the bundle").toEqual([]);
        expect(result.code).not.toMatch(/["'`]node:/);
        expect(result.inputs.filter((input) => nodeOnlyFiles.includes(input))).toEqual([]);
        expect(result.inputs.filter((input) => input.startsWith("packages/graceful-shutdown/"))).toEqual([]);
      });
    });
  }
}
