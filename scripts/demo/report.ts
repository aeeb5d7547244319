/**
 * demo-report.html: the numbers of the run and two timelines drawn from the events it recorded.
 */
import { writeFileSync } from "node:fs";
import type { Outcome, RequestRecord } from "./load.js";

export interface AttemptRecord {
  address: string;
  start: number;
  end: number;
  outcome: "won" | "cancelled" | "failed";
}

const colours: Record<Outcome, string> = {
  served: "#2e7d32",
  "timed-out": "#f9a825",
  "hung-up": "#8e24aa",
  retried: "#1e88e5",
  refused: "#9e9e9e",
  lost: "#c62828",
};

const escapeXml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

export function requestTimeline(records: RequestRecord[], marks: { at: number; label: string }[], clients: number): string {
  const end = Math.max(...records.map((record) => record.end), ...marks.map((mark) => mark.at)) * 1.02;
  const width = 960;
  const row = 7;
  const top = 24;
  const height = top + clients * row + 30;
  const x = (ms: number): number => 60 + (ms / end) * (width - 80);
  const bars = records
    .map(
      (record) =>
        `<rect x="${x(record.start).toFixed(1)}" y="${top + record.client * row}" width="${Math.max(1, x(record.end) - x(record.start)).toFixed(1)}" height="${row - 2}" fill="${colours[record.outcome]}"><title>${record.outcome} ${record.start.toFixed(0)}–${record.end.toFixed(0)} ms</title></rect>`,
    )
    .join("");
  const lines = marks
    .map(
      (mark) =>
        `<line x1="${x(mark.at)}" x2="${x(mark.at)}" y1="14" y2="${height - 24}" stroke="#000" stroke-dasharray="4 3"/><text x="${x(mark.at) + 4}" y="12" font-size="11">${escapeXml(mark.label)}</text>`,
    )
    .join("");
  const legend = Object.entries(colours)
    .map(([name, colour], index) => `<rect x="${60 + index * 120}" y="${height - 16}" width="10" height="10" fill="${colour}"/><text x="${74 + index * 120}" y="${height - 7}" font-size="11">${name}</text>`)
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" font-family="sans-serif"><text x="4" y="${top + 10}" font-size="11">client</text>${bars}${lines}${legend}<text x="${width - 70}" y="${height - 7}" font-size="11">${end.toFixed(0)} ms</text></svg>`;
}

export function attemptTimeline(attempts: AttemptRecord[]): string {
  const end = Math.max(...attempts.map((attempt) => attempt.end)) * 1.15;
  const width = 960;
  const x = (ms: number): number => 160 + (ms / end) * (width - 180);
  const rows = attempts
    .map((attempt, index) => {
      const y = 20 + index * 30;
      const colour = attempt.outcome === "won" ? "#2e7d32" : attempt.outcome === "cancelled" ? "#9e9e9e" : "#c62828";
      return `<text x="4" y="${y + 13}" font-size="12">${escapeXml(attempt.address)}</text><rect x="${x(attempt.start)}" y="${y}" width="${Math.max(2, x(attempt.end) - x(attempt.start))}" height="18" fill="${colour}"/><text x="${x(attempt.end) + 6}" y="${y + 13}" font-size="12">${attempt.outcome} at ${attempt.end.toFixed(0)} ms</text>`;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${30 + attempts.length * 30}" font-family="sans-serif">${rows}</svg>`;
}

export function writeReport(path: string, summary: [string, string][], requestsSvg: string, attemptsSvg: string): void {
  const rows = summary.map(([name, value]) => `<tr><th>${escapeXml(name)}</th><td>${escapeXml(value)}</td></tr>`).join("");
  writeFileSync(
    path,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>corral demo report</title>
<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}th{text-align:left;padding-right:2em}svg{width:100%;border:1px solid #ddd}</style></head>
<body><h1>corral demo report</h1><table>${rows}</table>
<h2>Requests under load, and the SIGTERM</h2><p>One row per keep-alive client, one bar per request.</p>${requestsSvg}
<h2>Happy Eyeballs across a dead ::1 and a live 127.0.0.1</h2>${attemptsSvg}</body></html>\n`,
  );
}
