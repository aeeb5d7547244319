/**
 * Runs every timeline scenario in docs/examples/timelines/, records what happened, and writes
 * docs/public/timelines/<name>.svg (the picture) and <name>.json (the recorded events, which
 * docs/test/site.test.ts checks). Part of `pnpm docs:build`, so the pictures cannot drift from
 * the code: a scenario that breaks one of its promises fails the build.
 *
 * A scenario whose package does not export what it needs yet is skipped with a message, and
 * its old picture is removed rather than left to go stale.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TimelineData } from "./recorder.js";
import { scenarios, type Scenario } from "./scenarios.js";
import { renderTimeline } from "./svg.js";

const docsDir = fileURLToPath(new URL("..", import.meta.url));
const rootTsconfig = fileURLToPath(new URL("../../tsconfig.json", import.meta.url));
const outDir = join(docsDir, "public", "timelines");

/** The names a scenario needs that its packages do not export yet (empty when it can run). */
export async function missingExports(scenario: Scenario): Promise<string[]> {
  const missing: string[] = [];
  for (const [specifier, names] of Object.entries(scenario.needs)) {
    const module = (await import(specifier)) as Record<string, unknown>;
    for (const name of names) if (typeof module[name] !== "function") missing.push(`${specifier}#${name}`);
  }
  return missing;
}

function runScenario(scenario: Scenario, eventsFile: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", `examples/timelines/${scenario.file}`], {
      cwd: docsDir,
      // The scenarios run against the packages' sources (tsconfig paths), so no build is needed.
      env: { ...process.env, TSX_TSCONFIG_PATH: rootTsconfig, TIMELINE_OUT: eventsFile },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 30_000,
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "corral-timelines-"));
  let failed = 0;
  try {
    for (const scenario of scenarios) {
      const svgFile = join(outDir, `${scenario.name}.svg`);
      const jsonFile = join(outDir, `${scenario.name}.json`);
      const missing = await missingExports(scenario);
      if (missing.length > 0) {
        rmSync(svgFile, { force: true });
        rmSync(jsonFile, { force: true });
        console.log(`timelines: skipped ${scenario.name} (not exported yet: ${missing.join(", ")})`);
        continue;
      }
      const eventsFile = join(work, `${scenario.name}.json`);
      const { code, output } = await runScenario(scenario, eventsFile);
      if (code !== 0) {
        failed++;
        console.error(`timelines: ${scenario.file} exited with ${code}\n${output}`);
        continue;
      }
      const data = JSON.parse(readFileSync(eventsFile, "utf8")) as TimelineData;
      writeFileSync(svgFile, renderTimeline(data, scenario.caption));
      writeFileSync(jsonFile, `${JSON.stringify(data, null, 2)}\n`);
      console.log(`timelines: wrote public/timelines/${scenario.name}.svg (${data.events.length} events)`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (failed > 0) {
    console.error(`timelines: ${failed} scenario(s) failed`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
