import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

// The budget is for the package as users ship it, so this measures the BUILT ESM entry.
const entry = fileURLToPath(new URL("../dist/index.js", import.meta.url));

async function minified(): Promise<Uint8Array> {
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing: build the package first (pnpm --filter @corral/apartial build)`);
  }
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error("esbuild produced no output");
  return output.contents;
}

describe("@corral/apartial bundle size", () => {
  it("measures the real entry: dist/index.js exports apartial and isAsyncFunction", () => {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: build the package first`);
    expect(readFileSync(entry, "utf8")).toMatch(/export\s*\{[^}]*\bapartial\b[^}]*\bisAsyncFunction\b/);
  });

  it("is under 1 KB minified", async () => {
    expect((await minified()).byteLength).toBeLessThan(1024);
  });

  it("is at most 0.5 KB minified and gzipped", async () => {
    expect(gzipSync(await minified()).byteLength).toBeLessThanOrEqual(512);
  });
});
