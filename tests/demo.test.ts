import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

describe("npm run demo", () => {
  it("runs the showcase end to end, keeps every promise and writes its report", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(output, output).toContain("Every promise held");
    expect(code).toBe(0);
    expect(output).toMatch(/requests lost\s+0/);
    expect(output).toMatch(/Happy Eyeballs connect\s+\d+ ms to 127\.0\.0\.1/);
    expect(existsSync(`${root}demo-report.html`)).toBe(true);
    const report = readFileSync(`${root}demo-report.html`, "utf8");
    expect(report.match(/<svg /g)).toHaveLength(2);
  }, 60_000);
});
