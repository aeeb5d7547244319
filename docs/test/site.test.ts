/**
 * The documentation site, as a reader meets it: built like `pnpm docs:build`, served by
 * `vitepress preview` on loopback and opened page by page in headless Chromium (Debian's
 * `chromium`, never a downloaded browser). Screenshots of the home page and a guide page are
 * kept in test-results/screenshots/.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadResults } from "../benchmarks.data.js";
import { missingExports } from "../timelines/generate.js";
import { scenarios } from "../timelines/scenarios.js";
import { type Browser, chromiumPath, launchChromium, missingChromiumReason } from "./support/chromium.js";
import {
  buildSite,
  crawl,
  docsDir,
  expectedCodeBlocks,
  handWrittenPages,
  includeProblem,
  includes,
  type PageReport,
  type Preview,
  sourceOf,
  startPreview,
} from "./support/site.js";

const screenshots = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));
const hasChromium = chromiumPath() !== undefined;

// A timeline can only be drawn once its package exports what the scenario uses.
const unavailable = new Map<string, string[]>();
for (const scenario of scenarios) unavailable.set(scenario.name, await missingExports(scenario));

describe("docs sources", () => {
  it("points every <<< include at an example file (and region) that exists", () => {
    const found = includes();
    expect(found.length).toBeGreaterThan(0);
    expect(found.map(includeProblem).filter((problem) => problem !== undefined)).toEqual([]);
  });

  it("shows every timeline on the pages listed for it", () => {
    const problems: string[] = [];
    for (const scenario of scenarios) {
      if (!existsSync(join(docsDir, "examples", "timelines", scenario.file))) problems.push(`missing scenario ${scenario.file}`);
      for (const page of scenario.pages) {
        const source = readFileSync(join(docsDir, page), "utf8");
        if (!source.includes(`data-timeline="${scenario.name}"`)) problems.push(`${page} does not show ${scenario.name}`);
      }
    }
    for (const page of handWrittenPages()) {
      for (const match of readFileSync(join(docsDir, page), "utf8").matchAll(/data-timeline="([^"]+)"/g)) {
        if (!scenarios.some((scenario) => scenario.name === match[1])) problems.push(`${page} shows unknown timeline ${match[1]}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("benchmarks page data", () => {
  it("is empty, not broken, when bench/results has no files", () => {
    expect(loadResults([])).toEqual({ suites: [], problems: [] });
  });

  it("formats every row, lays out ratio bars around 1× and reports unreadable files", () => {
    const dir = mkdtempSync(join(tmpdir(), "corral-bench-"));
    try {
      const good = join(dir, "demo.json");
      const bad = join(dir, "broken.json");
      const rows = [
        { name: "baseline", value: 10, unit: "µs/op" },
        { name: "faster", value: 5, unit: "µs/op", ratio: 0.5, baseline: "baseline", target: "≤ 1×", pass: true },
        { name: "slower", value: 40, unit: "µs/op", ratio: 4, baseline: "baseline", target: "≤ 2×", pass: false },
      ];
      writeFileSync(good, JSON.stringify({ suite: "demo", description: "d", node: "v20", date: "2026-01-02T00:00:00Z", rows }));
      writeFileSync(bad, "{ not json");
      const { suites, problems } = loadResults([good, bad]);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain("broken.json");
      const [suite] = suites;
      expect(suite?.rows.map((row) => [row.value, row.ratio, row.pass])).toEqual([
        ["10.0 µs/op", "", ""],
        ["5.00 µs/op", "0.500×", "yes"],
        ["40.0 µs/op", "4.00×", "no"],
      ]);
      expect(suite?.ratios).toHaveLength(2);
      const [faster, slower] = suite!.ratios.map((row) => row.bar!);
      expect(faster!.left + faster!.width).toBeCloseTo(faster!.one);
      expect(slower!.left).toBeCloseTo(slower!.one);
      expect(slower!.width).toBeCloseTo(2 * faster!.width);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasChromium)(`docs site in headless Chromium${hasChromium ? "" : ` (skipped: ${missingChromiumReason})`}`, () => {
  let preview: Preview | undefined;
  let browser: Browser | undefined;
  let pages = new Map<string, PageReport>();

  beforeAll(async () => {
    const steps = await buildSite();
    const failed = steps.find((step) => step.code !== 0);
    if (failed) throw new Error(`docs build failed at ${failed.step} (exit ${failed.code}):\n${failed.output.slice(-4000)}`);
    preview = await startPreview();
    browser = await launchChromium();
    pages = await crawl(browser.context, preview.origin);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await preview?.close();
  });

  it("reaches every hand-written page and the API reference from the home page", () => {
    const reached = new Set([...pages.keys()].map((path) => sourceOf(path)));
    const unreached = handWrittenPages().filter((page) => !reached.has(join(docsDir, page)));
    expect(unreached).toEqual([]);
    expect([...pages.keys()].filter((path) => path.startsWith("/api/@corral/")).length).toBeGreaterThan(7);
  });

  it("serves every page with status 200 and a heading", () => {
    const bad = [...pages.values()].filter((page) => page.status !== 200 || page.h1 === "").map((page) => `${page.path}: ${page.status} "${page.h1}"`);
    expect(bad).toEqual([]);
  });

  it("logs no console errors, uncaught exceptions or failed requests on any page", () => {
    const errors = [...pages.values()].flatMap((page) => page.consoleErrors.map((error) => `${page.path}: ${error}`));
    expect(errors).toEqual([]);
  });

  it("has no broken internal links or anchors", () => {
    const broken: string[] = [];
    for (const page of pages.values()) {
      for (const link of page.links) {
        const [path = "", hash] = link.split("#");
        const target = pages.get(path);
        if (!target) {
          broken.push(`${page.path} → ${link} (not a page of the site)`);
        } else if (target.status !== 200) {
          broken.push(`${page.path} → ${link} (status ${target.status})`);
        } else if (hash && !target.ids.includes(decodeURIComponent(hash))) {
          broken.push(`${page.path} → ${link} (no element with id "${hash}")`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("renders every code block its page asks for, included examples too", () => {
    const problems: string[] = [];
    for (const page of pages.values()) {
      const source = sourceOf(page.path);
      if (!existsSync(source)) {
        problems.push(`${page.path}: no source ${source}`);
        continue;
      }
      const expected = expectedCodeBlocks(readFileSync(source, "utf8"));
      if (page.codeBlocks < expected) problems.push(`${page.path}: ${page.codeBlocks} code blocks, source asks for ${expected}`);
      if (page.emptyCodeBlocks > 0) problems.push(`${page.path}: ${page.emptyCodeBlocks} empty code blocks`);
      for (const missing of page.missingSnippets) problems.push(`${page.path}: ${missing}`);
    }
    expect(problems).toEqual([]);
    // The guide's examples are included, not copied: they must be there.
    expect(pages.get("/guide/cancellation.html")?.codeBlocks).toBeGreaterThanOrEqual(3);
  });

  for (const scenario of scenarios) {
    const missing = unavailable.get(scenario.name) ?? [];
    const title = `shows the ${scenario.name} timeline, drawn from the recorded run, on ${scenario.pages.join(" and ")}`;
    it.skipIf(missing.length > 0)(missing.length > 0 ? `${title} (skipped: not exported yet: ${missing.join(", ")})` : title, () => {
      const svg = join(docsDir, ".vitepress", "dist", "timelines", `${scenario.name}.svg`);
      expect(existsSync(svg), `${svg} was not generated`).toBe(true);
      expect(readFileSync(svg, "utf8")).toContain("<svg");
      for (const source of scenario.pages) {
        const path = source === "index.md" ? "/" : `/${source.replace(/index\.md$/, "").replace(/\.md$/, ".html")}`;
        const page = pages.get(path);
        expect(page, `${path} was not reached`).toBeDefined();
        const images = page!.timelines.filter((image) => image.name === scenario.name);
        expect(images.length, `${path} has no ${scenario.name} image`).toBeGreaterThan(0);
        expect(images.every((image) => image.loaded), `${path}: ${scenario.name} image did not load`).toBe(true);
      }
    });
  }

  it("keeps screenshots of the home page and a guide page", async () => {
    mkdirSync(screenshots, { recursive: true });
    const page = await browser!.context.newPage();
    try {
      for (const [path, file] of [
        ["/", "home.png"],
        ["/guide/cancellation.html", "guide-cancellation.png"],
      ] as const) {
        await page.goto(`${preview!.origin}${path}`, { waitUntil: "networkidle" });
        await page.screenshot({ path: join(screenshots, file), fullPage: path !== "/" });
        expect(existsSync(join(screenshots, file))).toBe(true);
      }
    } finally {
      await page.close();
    }
  });
});
