import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type DefaultTheme, defineConfig } from "vitepress";

const docsDir = fileURLToPath(new URL("..", import.meta.url));

/** The seven packages, in the order a reader meets them. */
export const packages = [
  { name: "cancel-core", summary: "Cancel scopes, reasons, deadlines, shields" },
  { name: "taskgroup", summary: "Task groups, gather, race" },
  { name: "shield", summary: "Cleanup that cancellation cannot cut" },
  { name: "timeout", summary: "Timeouts that stop the work" },
  { name: "staggered", summary: "Staggered races and Happy Eyeballs" },
  { name: "graceful-shutdown", summary: "SIGTERM, hooks and HTTP draining" },
  { name: "apartial", summary: "Partial application that stays async" },
] as const;

const kindTitles: Record<string, string> = {
  classes: "Classes",
  interfaces: "Interfaces",
  functions: "Functions",
  "type-aliases": "Types",
  variables: "Variables",
};

/** Sidebar entries for one generated typedoc folder (see docs/typedoc.json). */
function apiItems(dir: string, url: string): DefaultTheme.SidebarItem[] {
  if (!existsSync(dir)) return [];
  const items: DefaultTheme.SidebarItem[] = [];
  const entries = readdirSync(dir).sort();
  for (const entry of entries) {
    const path = `${dir}/${entry}`;
    if (!statSync(path).isDirectory()) continue;
    if (entry in kindTitles) {
      const pages = readdirSync(path)
        .filter((file) => file.endsWith(".md"))
        .sort()
        .map((file) => ({ text: file.slice(0, -3), link: `${url}${entry}/${file.slice(0, -3)}` }));
      items.push({ text: kindTitles[entry] ?? entry, collapsed: false, items: pages });
    } else {
      // A package with several entry points: "main" is @corral/<name>, the others its subpaths
      // (see .vitepress/typedoc-module-names.mjs).
      const specifier = url.replace(/^\/api\//, "").replace(/\/$/, "");
      items.push({
        text: entry === "main" ? specifier : `${specifier}/${entry}`,
        link: `${url}${entry}/`,
        collapsed: false,
        items: apiItems(path, `${url}${entry}/`),
      });
    }
  }
  return items;
}

function apiSidebar(): DefaultTheme.SidebarItem[] {
  return [
    { text: "API reference", link: "/api/" },
    ...packages.map((pkg) => ({
      text: `@corral/${pkg.name}`,
      link: `/api/@corral/${pkg.name}/`,
      collapsed: true,
      items: apiItems(`${docsDir}api/@corral/${pkg.name}`, `/api/@corral/${pkg.name}/`),
    })),
  ];
}

const guideSidebar: DefaultTheme.SidebarItem[] = [
  {
    text: "Guide",
    items: [
      { text: "Getting started", link: "/guide/" },
      { text: "Cancellation in JavaScript", link: "/guide/cancellation" },
      { text: "Building on cancel-core", link: "/guide/building-on-cancel-core" },
    ],
  },
  {
    text: "Packages",
    items: packages.map((pkg) => ({ text: pkg.name, link: `/packages/${pkg.name}` })),
  },
  {
    text: "Coming from …",
    items: [
      { text: "asyncio, trio, aiotools", link: "/coming-from/python" },
      { text: "Effection", link: "/coming-from/effection" },
      { text: "Effect", link: "/coming-from/effect" },
      { text: "p-timeout", link: "/coming-from/p-timeout" },
      { text: "AbortSignal.any", link: "/coming-from/abortsignal-any" },
    ],
  },
  { text: "Benchmarks", link: "/benchmarks" },
];

export default defineConfig({
  title: "corral",
  description: "Structured concurrency and cancellation for TypeScript, built on AbortSignal.",
  lang: "en-US",
  cleanUrls: false,
  srcExclude: ["examples/**", "test/**", "timelines/**"],
  head: [["link", { rel: "icon", type: "image/svg+xml", href: "/favicon.svg" }]],
  markdown: {
    lineNumbers: false,
  },
  themeConfig: {
    logo: "/favicon.svg",
    nav: [
      { text: "Guide", link: "/guide/", activeMatch: "^/guide/" },
      { text: "Packages", link: "/packages/cancel-core", activeMatch: "^/packages/" },
      { text: "Coming from", link: "/coming-from/python", activeMatch: "^/coming-from/" },
      { text: "API", link: "/api/", activeMatch: "^/api/" },
      { text: "Benchmarks", link: "/benchmarks" },
    ],
    sidebar: {
      "/guide/": guideSidebar,
      "/packages/": guideSidebar,
      "/coming-from/": guideSidebar,
      "/benchmarks": guideSidebar,
      "/api/": apiSidebar(),
    },
    outline: { level: [2, 3] },
    footer: { message: "MIT licensed." },
  },
});
