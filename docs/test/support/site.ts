/**
 * Helpers of docs/test/site.test.ts: build the site, serve it with `vitepress preview` on
 * loopback, and crawl every page in Chromium, recording what a reader would run into.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext } from "playwright-core";

export const docsDir = fileURLToPath(new URL("../../", import.meta.url));
const bin = (name: string): string => join(docsDir, "node_modules", ".bin", name);

export interface StepResult {
  step: string;
  code: number | null;
  output: string;
}

function run(step: string, command: string, args: string[]): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: docsDir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "1" } });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ step, code, output }));
  });
}

/** The same steps as `pnpm docs:build`: typedoc, the timelines, vitepress build. */
export async function buildSite(): Promise<StepResult[]> {
  const steps: StepResult[] = [];
  const plan: Array<[string, string, string[]]> = [
    ["typedoc", bin("typedoc"), []],
    ["timelines", process.execPath, ["--import", "tsx", "timelines/generate.ts"]],
    ["vitepress build", bin("vitepress"), ["build", "."]],
  ];
  for (const [step, command, args] of plan) {
    const result = await run(step, command, args);
    steps.push(result);
    if (result.code !== 0) break;
  }
  return steps;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface Preview {
  origin: string;
  close(): Promise<void>;
}

/** `vitepress preview --host 127.0.0.1 --port <free>`, resolved once it answers. */
export async function startPreview(): Promise<Preview> {
  const port = await freePort();
  const child: ChildProcess = spawn(bin("vitepress"), ["preview", ".", "--host", "127.0.0.1", "--port", String(port)], {
    cwd: docsDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const origin = `http://127.0.0.1:${port}`;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("close", () => resolve());
      child.kill("SIGTERM");
    });
  const started = Date.now();
  while (Date.now() - started < 20_000) {
    if (child.exitCode !== null) throw new Error(`vitepress preview exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${origin}/`);
      if (response.ok) return { origin, close };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await close();
  throw new Error(`vitepress preview did not answer on ${origin}:\n${output}`);
}

export interface TimelineImage {
  name: string;
  src: string;
  loaded: boolean;
}

// pageFacts() runs in the browser. These are the few DOM shapes it touches (the repository's
// TypeScript configuration has no DOM library).
interface PageElement {
  readonly textContent: string | null;
  readonly id: string;
}
interface PageAnchor extends PageElement {
  readonly href: string;
}
interface PageImage extends PageElement {
  readonly src: string;
  readonly complete: boolean;
  readonly naturalWidth: number;
  readonly dataset: Record<string, string | undefined>;
}
declare const document: {
  readonly title: string;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
};

function pageFacts() {
  const blocks = [...document.querySelectorAll('.vp-doc div[class*="language-"] pre code')].map((block) => block.textContent?.trim() ?? "");
  return {
    title: document.title,
    h1: document.querySelector(".vp-doc h1, .VPHero .name")?.textContent?.trim() ?? "",
    links: [...(document.querySelectorAll("a[href]") as Iterable<PageAnchor>)].map((anchor) => anchor.href),
    ids: [...document.querySelectorAll("[id]")].map((element) => element.id),
    codeBlocks: blocks.length,
    emptyCodeBlocks: blocks.filter((content) => content === "").length,
    missingSnippets: blocks.filter((content) => content.startsWith("Code snippet path not found")),
    timelines: [...(document.querySelectorAll("img[data-timeline]") as Iterable<PageImage>)].map((image) => ({
      name: image.dataset.timeline ?? "",
      src: image.src,
      loaded: image.complete && image.naturalWidth > 0,
    })),
  };
}

export interface PageReport {
  path: string;
  status: number;
  title: string;
  h1: string;
  links: string[];
  ids: string[];
  codeBlocks: number;
  emptyCodeBlocks: number;
  missingSnippets: string[];
  timelines: TimelineImage[];
  consoleErrors: string[];
}

/** Page path (as linked, e.g. "/packages/timeout.html") → its markdown source under docs/. */
export function sourceOf(path: string): string {
  let file = decodeURIComponent(path.replace(/^\//, ""));
  if (file === "" || file.endsWith("/")) file += "index.html";
  return join(docsDir, file.replace(/\.html$/, ".md"));
}

/** Code blocks a markdown source asks for: fenced blocks plus `<<<` includes. */
export function expectedCodeBlocks(markdown: string): number {
  let count = 0;
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) {
      if (!inFence) count++;
      inFence = !inFence;
    } else if (!inFence && /^<<<\s/.test(line)) {
      count++;
    }
  }
  return count;
}

/** Every markdown page of the site written by hand (the generated api/ pages excluded). */
export function handWrittenPages(): string[] {
  const pages: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      if (["node_modules", "api", "examples", "test", "timelines", "public"].includes(entry) || entry.startsWith(".")) continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith(".md")) pages.push(relative(docsDir, path));
    }
  };
  walk(docsDir);
  return pages.sort();
}

export interface Include {
  page: string;
  line: number;
  file: string;
  region: string | undefined;
}

/** Every `<<< @/…` snippet include of the hand-written pages. */
export function includes(): Include[] {
  const found: Include[] = [];
  for (const page of handWrittenPages()) {
    readFileSync(join(docsDir, page), "utf8")
      .split("\n")
      .forEach((text, index) => {
        const match = /^<<<\s+@\/([^\s#{]+)(?:#([\w-]+))?/.exec(text);
        if (match) found.push({ page, line: index + 1, file: match[1]!, region: match[2] });
      });
  }
  return found;
}

export function includeProblem(include: Include): string | undefined {
  const path = join(docsDir, include.file);
  if (!existsSync(path)) return `${include.page}:${include.line} includes ${include.file}, which does not exist`;
  if (include.region) {
    const source = readFileSync(path, "utf8");
    if (!source.includes(`#region ${include.region}`) || !source.includes("#endregion")) {
      return `${include.page}:${include.line} includes region "${include.region}" of ${include.file}, which has no such region`;
    }
  }
  return undefined;
}

/**
 * Open every page reachable from the home page (sidebars and nav included) and report what is
 * on it. Links are followed only within the site.
 */
export async function crawl(context: BrowserContext, origin: string): Promise<Map<string, PageReport>> {
  const reports = new Map<string, PageReport>();
  const queue = ["/"];
  const page = await context.newPage();
  let consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`console.error: ${message.text()}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
  page.on("response", (response) => {
    if (response.url().startsWith(origin) && response.status() >= 400) {
      consoleErrors.push(`HTTP ${response.status()} for ${response.url().slice(origin.length)}`);
    }
  });
  try {
    while (queue.length > 0) {
      const path = queue.shift()!;
      if (reports.has(path)) continue;
      consoleErrors = [];
      const response = await page.goto(`${origin}${path}`, { waitUntil: "load" });
      const facts = await page.evaluate(pageFacts);
      const links: string[] = [];
      for (const href of facts.links) {
        if (!href.startsWith(`${origin}/`)) continue;
        links.push(href.slice(origin.length));
        const target = href.slice(origin.length).replace(/#.*$/, "");
        if (!reports.has(target) && !queue.includes(target) && /(\.html|\/)$/.test(target)) queue.push(target);
      }
      reports.set(path, { path, status: response?.status() ?? 0, ...facts, links, consoleErrors });
    }
  } finally {
    await page.close();
  }
  return reports;
}
