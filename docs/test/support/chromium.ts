/**
 * Headless Chromium for the browser tests: Debian's `chromium` package (installed by
 * scripts/ensure-chromium.mjs), driven by playwright-core. A browser is never downloaded; when
 * none is installed the tests skip and say why.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** Path of the installed Chromium, or undefined when there is none. */
export function chromiumPath(): string | undefined {
  return candidates.find((path): path is string => typeof path === "string" && path !== "" && existsSync(path));
}

export const missingChromiumReason =
  "Chromium is not installed (run `node scripts/ensure-chromium.mjs` as root, or set CHROMIUM_PATH)";

const flags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launch Chromium with a fresh, throw-away profile (--user-data-dir). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(missingChromiumReason);
  const profile = mkdtempSync(join(tmpdir(), "corral-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: flags,
      viewport: { width: 1280, height: 900 },
      timeout: 30_000,
    });
    return {
      context,
      async close() {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}
