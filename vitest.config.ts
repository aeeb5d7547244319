import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (path: string): string => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

// Tests run against the TypeScript sources, so no build is needed before `vitest`.
// Tests that spawn real processes import the built packages instead (see each package's fixtures).
export const sourceAliases = {
  "@corral/cancel-core": src("cancel-core/src/index.ts"),
  "@corral/taskgroup": src("taskgroup/src/index.ts"),
  "@corral/shield": src("shield/src/index.ts"),
  "@corral/timeout": src("timeout/src/index.ts"),
  "@corral/staggered/net": src("staggered/src/net.ts"),
  "@corral/staggered": src("staggered/src/index.ts"),
  "@corral/graceful-shutdown/cluster": src("graceful-shutdown/src/cluster.ts"),
  "@corral/graceful-shutdown": src("graceful-shutdown/src/index.ts"),
  "@corral/apartial": src("apartial/src/index.ts"),
};

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: ["packages/*/test/**/*.test.ts", "docs/test/**/*.test.ts", "tests/**/*.test.ts"],
    typecheck: {
      enabled: true,
      include: ["packages/*/test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
