/**
 * The universal packages (cancel-core, taskgroup, shield, timeout, staggered without /net,
 * apartial) running unchanged in a browser. Each package's checks in docs/test/browser/ are
 * bundled from the packages' sources with esbuild for `platform: "browser"` (a Node built-in
 * would fail the bundle), loaded into a page of headless Chromium served from loopback, and run
 * there one by one: one vitest test per check. Uncaught errors, unhandled rejections and
 * console errors in the page fail the check that was running.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sourceAliases } from "../../vitest.config.js";
import * as apartialChecks from "./browser/apartial.browser.js";
import * as cancelCoreChecks from "./browser/cancel-core.browser.js";
import type { Checks } from "./browser/harness.js";
import * as shieldChecks from "./browser/shield.browser.js";
import * as staggeredChecks from "./browser/staggered.browser.js";
import * as taskgroupChecks from "./browser/taskgroup.browser.js";
import * as timeoutChecks from "./browser/timeout.browser.js";
import { type Browser, chromiumPath, launchChromium, missingChromiumReason } from "./support/chromium.js";

interface Suite {
  name: string;
  file: string;
  checks: Checks;
  needs: Record<string, string[]>;
}

const suites: Suite[] = [
  { name: "cancel-core", module: cancelCoreChecks },
  { name: "taskgroup", module: taskgroupChecks },
  { name: "shield", module: shieldChecks },
  { name: "timeout", module: timeoutChecks },
  { name: "staggered", module: staggeredChecks },
  { name: "apartial", module: apartialChecks },
].map(({ name, module }) => ({
  name,
  file: fileURLToPath(new URL(`./browser/${name}.browser.ts`, import.meta.url)),
  checks: module.checks,
  needs: module.needs,
}));

/** Exports a suite uses that its package does not have yet. */
async function missingExports(suite: Suite): Promise<string[]> {
  const missing: string[] = [];
  for (const [specifier, names] of Object.entries(suite.needs)) {
    const module = (await import(specifier)) as Record<string, unknown>;
    for (const name of names) if (module[name] === undefined) missing.push(`${specifier}#${name}`);
  }
  return missing;
}

const missing = new Map<string, string[]>();
for (const suite of suites) missing.set(suite.name, await missingExports(suite));

/** Resolve @corral/* to the packages' sources, as the unit tests do. */
const corralSources: Plugin = {
  name: "corral-sources",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@corral\// }, (args) => {
      const path = (sourceAliases as Record<string, string>)[args.path];
      return path ? { path } : { errors: [{ text: `no source alias for ${args.path}` }] };
    });
  },
};

async function bundle(suite: Suite): Promise<string> {
  const result = await build({
    stdin: {
      contents: `import { checks } from ${JSON.stringify(suite.file)};\nglobalThis.__corralChecks = checks;\n`,
      resolveDir: fileURLToPath(new URL(".", import.meta.url)),
      sourcefile: `${suite.name}-checks-entry.ts`,
      loader: "ts",
    },
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
    plugins: [corralSources],
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

// The function below runs inside the page (serialised by playwright), on the bundle's global.
interface CheckOutcome {
  error?: string;
}
async function runCheck(name: string): Promise<CheckOutcome> {
  const checks = (globalThis as unknown as { __corralChecks: Record<string, () => unknown> }).__corralChecks;
  try {
    await checks[name]!();
  } catch (error) {
    return { error: error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error) };
  }
  // Let unhandled rejections surface before the check counts as passed.
  await new Promise((resolve) => setTimeout(resolve, 20));
  return {};
}

const hasChromium = chromiumPath() !== undefined;
let browser: Browser | undefined;
let server: Server | undefined;
let origin = "";

beforeAll(async () => {
  if (!hasChromium) return;
  server = createServer((_, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end("<!doctype html><meta charset=utf-8><title>corral browser checks</title>");
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

for (const suite of suites) {
  const absent = missing.get(suite.name) ?? [];
  const skipReason = !hasChromium ? missingChromiumReason : absent.length > 0 ? `not exported yet: ${absent.join(", ")}` : undefined;

  describe.skipIf(skipReason !== undefined)(`@corral/${suite.name} in headless Chromium${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let page: Page | undefined;
    let pageErrors: string[] = [];

    beforeAll(async () => {
      const code = await bundle(suite);
      page = await browser!.context.newPage();
      page.on("pageerror", (error) => pageErrors.push(`uncaught in the page: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error") pageErrors.push(`console.error in the page: ${message.text()}`);
      });
      await page.goto(origin);
      await page.addScriptTag({ content: code });
      const names = await page.evaluate(() => Object.keys((globalThis as unknown as { __corralChecks: object }).__corralChecks));
      expect(names.sort()).toEqual(Object.keys(suite.checks).sort());
    }, 60_000);

    afterAll(async () => {
      await page?.close();
    });

    for (const name of Object.keys(suite.checks)) {
      it(name, async () => {
        pageErrors = [];
        const outcome = await page!.evaluate(runCheck, name);
        expect(outcome.error, outcome.error).toBeUndefined();
        expect(pageErrors).toEqual([]);
      });
    }
  });
}
