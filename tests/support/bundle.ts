/**
 * Bundling the built packages as an application's bundler would: esbuild resolves `@corral/*`
 * through the exports maps (from the root's node_modules links to the workspace), minifies, and
 * the result is measured gzipped. Imports of Node built-ins are recorded instead of failing.
 */
import { builtinModules } from "node:module";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";
import { repoRoot } from "./workspace.js";

export interface Bundle {
  /** Minified bytes. */
  minified: number;
  /** Minified, then gzipped (level 9) bytes. */
  gzipped: number;
  /** Files that ended up in the bundle, relative to the repository root. */
  inputs: string[];
  /** Node built-in modules the bundle imports (`node:fs`, `fs`, …). */
  builtins: string[];
  code: string;
}

const builtinNames = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

function recordBuiltins(found: Set<string>): Plugin {
  return {
    name: "record-node-builtins",
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /.*/ }, (args) => {
        if (!args.path.startsWith("node:") && !builtinNames.has(args.path)) return undefined;
        found.add(args.path);
        return { path: args.path, external: true };
      });
    },
  };
}

/** Bundles an ES module whose source is `contents` (e.g. `export * from "@corral/timeout"`). */
export async function bundle(contents: string, platform: "browser" | "neutral" | "node"): Promise<Bundle> {
  const builtins = new Set<string>();
  const result = await build({
    stdin: { contents, resolveDir: repoRoot, sourcefile: "app.js", loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    target: "es2022",
    absWorkingDir: repoRoot,
    // Resolve like an application: through node_modules and exports maps, not the root tsconfig's source paths.
    tsconfigRaw: {},
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [recordBuiltins(builtins)],
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error("esbuild produced no output");
  return {
    minified: output.contents.byteLength,
    gzipped: gzipSync(output.contents, { level: 9 }).byteLength,
    inputs: Object.keys(result.metafile.inputs).filter((input) => input !== "app.js"),
    builtins: [...builtins].sort(),
    code: output.text,
  };
}
