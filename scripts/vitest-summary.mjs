#!/usr/bin/env node
// Runs every vitest test once and ends with the plain line CI reads:
//   vitest: N passed, N failed, N skipped
// computed from vitest's JSON report. Exits non-zero when a test failed or none ran.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = join(root, "test-results");
const report = join(outDir, "vitest.json");
mkdirSync(outDir, { recursive: true });
rmSync(report, { force: true });

const result = spawnSync(
  "vitest",
  ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit" },
);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed = json.numPassedTests ?? 0;
  failed = json.numFailedTests ?? 0;
  skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  // A suite that fails to load has no tests to count, but it is still a failure.
  failed += (json.testResults ?? []).filter((file) => file.status === "failed" && file.assertionResults.length === 0).length;
}
const line = `vitest: ${passed} passed, ${failed} failed, ${skipped} skipped`;
writeFileSync(join(outDir, "summary.txt"), `${line}\n`);
console.log(`\n${line}`);
if (result.status !== 0 || failed > 0 || passed === 0) process.exit(result.status || 1);
