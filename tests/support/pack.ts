/**
 * Packing the workspace the way it is published: `pnpm pack` (which rewrites `workspace:` ranges)
 * into a directory owned by the calling test file, and reading tarballs back without extracting.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { pnpmBin, runOk } from "./processes.js";
import { assertBuilt, listPackages, type Manifest, repoRoot } from "./workspace.js";

export interface Packed {
  name: string;
  version: string;
  tarball: string;
}

interface PackResult {
  name: string;
  version: string;
  filename: string;
}

/** A fresh temporary directory; `remove()` deletes it. */
export function tempDir(label: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `corral-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Packs the named workspace packages (default: all), built first or a clear error, into `destination`. */
export async function packAll(destination: string, names?: readonly string[]): Promise<Map<string, Packed>> {
  const packages = listPackages().filter((pkg) => names === undefined || names.includes(pkg.name));
  if (names !== undefined && packages.length !== names.length) throw new Error(`not all of ${names.join(", ")} are workspace packages`);
  for (const pkg of packages) assertBuilt(pkg);
  const filters = names === undefined ? ["--filter", "./packages/*"] : names.flatMap((name) => ["--filter", name]);
  const result = await runOk(pnpmBin(), ["-r", ...filters, "pack", "--pack-destination", destination, "--json"], { cwd: repoRoot });
  const parsed = JSON.parse(result.stdout) as PackResult[] | PackResult;
  const packed = new Map<string, Packed>();
  for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
    packed.set(item.name, { name: item.name, version: item.version, tarball: item.filename });
  }
  for (const pkg of packages) {
    if (!packed.has(pkg.name)) throw new Error(`pnpm pack produced no tarball for ${pkg.name}\n${result.stdout}`);
  }
  return packed;
}

/** The files of a package tarball, keyed by their path inside the package (`package/` removed). */
export function readTarball(path: string): Map<string, Buffer> {
  const data = gunzipSync(readFileSync(path));
  const files = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= data.length) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number): string =>
      header
        .subarray(start, start + length)
        .toString("utf8")
        .replace(/\0.*$/s, "");
    const size = Number.parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const body = data.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === "x") {
      const pathRecord = /\d+ path=([^\n]*)\n/.exec(body.toString("utf8"));
      longName = pathRecord?.[1];
      continue;
    }
    if (type !== "0" && type !== "") continue;
    const name = longName ?? (prefix === "" ? field(0, 100) : `${prefix}/${field(0, 100)}`);
    longName = undefined;
    files.set(name.replace(/^package\//, ""), Buffer.from(body));
  }
  return files;
}

export function tarballManifest(path: string): Manifest {
  const json = readTarball(path).get("package.json");
  if (json === undefined) throw new Error(`${path} has no package.json`);
  return JSON.parse(json.toString("utf8")) as Manifest;
}
