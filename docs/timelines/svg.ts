/**
 * Draws a recorded timeline (see recorder.ts) as a self-contained SVG: one row per lane, a bar
 * from its start to its end, marks where things happened, dashed vertical markers for events
 * of the whole scenario, and a time axis in milliseconds.
 */
import type { MarkKind, TimelineData, TimelineEvent } from "./recorder.js";

const width = 880;
const rowHeight = 34;
const top = 64;
const font = "ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

const colors: Record<MarkKind, string> = {
  start: "#475569",
  ok: "#2563eb",
  win: "#16a34a",
  fail: "#dc2626",
  cancel: "#d97706",
  settled: "#d97706",
  note: "#475569",
};

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function niceStep(span: number): number {
  const target = span / 8;
  for (const step of [10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000]) if (step >= target) return step;
  return 10_000;
}

/** A rough text width for 12 px sans-serif, enough to keep labels inside the picture. */
function textWidth(text: string, size = 12): number {
  return text.length * size * 0.6;
}

function mark(kind: MarkKind, x: number, y: number): string {
  const color = colors[kind];
  switch (kind) {
    case "start":
      return `<circle cx="${x}" cy="${y}" r="4.5" fill="#ffffff" stroke="${color}" stroke-width="2"/>`;
    case "ok":
      return `<circle cx="${x}" cy="${y}" r="5.5" fill="${color}"/>`;
    case "win":
      return `<circle cx="${x}" cy="${y}" r="8" fill="${color}"/><path d="M${x - 4} ${y} l3 3 l5 -6" fill="none" stroke="#ffffff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>`;
    case "fail":
      return `<path d="M${x - 5} ${y - 5} L${x + 5} ${y + 5} M${x + 5} ${y - 5} L${x - 5} ${y + 5}" stroke="${color}" stroke-width="3" stroke-linecap="round"/>`;
    case "cancel":
      return `<circle cx="${x}" cy="${y}" r="6" fill="#ffffff" stroke="${color}" stroke-width="2"/><path d="M${x - 4} ${y + 4} L${x + 4} ${y - 4}" stroke="${color}" stroke-width="2"/>`;
    case "settled":
      return `<rect x="${x - 1.5}" y="${y - 7}" width="3" height="14" fill="${color}"/>`;
    case "note":
      return `<path d="M${x} ${y - 5} L${x + 5} ${y} L${x} ${y + 5} L${x - 5} ${y} Z" fill="${color}"/>`;
  }
}

/** The one label shown after a lane's last mark: "cancelled, cleaned up" for work that wound down. */
function endLabel(events: readonly TimelineEvent[]): { event: TimelineEvent; text: string } | undefined {
  const end = [...events].reverse().find((event) => event.kind !== "note" && event.kind !== "start");
  if (!end) return undefined;
  const cancel = events.find((event) => event.kind === "cancel");
  return { event: end, text: end.kind === "settled" && cancel ? `${cancel.label}, ${end.label}` : end.label };
}

export function renderTimeline(data: TimelineData, caption?: string): string {
  const lanes = data.lanes;
  const laneEvents = lanes.map((_, index) => data.events.filter((event) => event.lane === index));
  const longestLane = Math.max(...lanes.map((label) => textWidth(label)), 100);
  const longestEnd = Math.max(...laneEvents.map((events) => textWidth(endLabel(events)?.text ?? "")), 40);
  const plotLeft = Math.min(longestLane + 32, 340);
  const plotRight = width - Math.min(longestEnd + 28, 280);
  const markers = data.events.filter((event) => event.lane === -1);
  const span = Math.max(data.end, ...data.events.map((event) => event.t), 1);
  const step = niceStep(span);
  const axisEnd = Math.ceil(span / step) * step;
  const x = (t: number): number => Math.round((plotLeft + (t / axisEnd) * (plotRight - plotLeft)) * 10) / 10;
  const plotBottom = top + lanes.length * rowHeight;
  const legendY = plotBottom + 54;
  const height = legendY + 24;
  const out: string[] = [];

  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="${font}" font-size="12" role="img" aria-labelledby="title desc">`,
    `<title id="title">${escapeXml(data.title)}</title>`,
    `<desc id="desc">${escapeXml(caption ?? `Timeline recorded while ${data.name} ran.`)}</desc>`,
    `<defs><pattern id="winding-down" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde68a"/><line x1="0" y1="0" x2="0" y2="6" stroke="#d97706" stroke-width="2"/></pattern></defs>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="26" font-size="15" font-weight="600" fill="#0f172a">${escapeXml(data.title)}</text>`,
  );

  // Time axis and grid.
  for (let t = 0; t <= axisEnd + 1e-9; t += step) {
    const gx = x(t);
    out.push(
      `<line x1="${gx}" y1="${top - 8}" x2="${gx}" y2="${plotBottom}" stroke="#e2e8f0"/>`,
      `<text x="${gx}" y="${plotBottom + 18}" text-anchor="middle" fill="#64748b">${t} ms</text>`,
    );
  }
  out.push(`<line x1="${plotLeft}" y1="${plotBottom}" x2="${x(axisEnd)}" y2="${plotBottom}" stroke="#94a3b8"/>`);

  // Lanes.
  lanes.forEach((label, index) => {
    const y = top + index * rowHeight + rowHeight / 2;
    if (index % 2 === 0) {
      out.push(`<rect x="8" y="${y - rowHeight / 2}" width="${width - 16}" height="${rowHeight}" fill="#f8fafc"/>`);
    }
    out.push(`<text x="16" y="${y + 4}" fill="#0f172a">${escapeXml(label)}</text>`);
    const events = laneEvents[index] ?? [];
    const start = events.find((event) => event.kind === "start");
    const cancel = events.find((event) => event.kind === "cancel");
    const settled = events.find((event) => event.kind === "settled");
    const end = [...events].reverse().find((event) => event.kind !== "note" && event.kind !== "start");
    if (start && end) {
      const running = cancel ?? end;
      const color = cancel ? colors.cancel : colors[end.kind];
      out.push(
        `<rect x="${x(start.t)}" y="${y - 5}" width="${Math.max(x(running.t) - x(start.t), 1)}" height="10" rx="3" fill="${color}" fill-opacity="0.28" stroke="${color}" stroke-opacity="0.6"/>`,
      );
      if (cancel && settled) {
        out.push(
          `<rect x="${x(cancel.t)}" y="${y - 5}" width="${Math.max(x(settled.t) - x(cancel.t), 1)}" height="10" fill="url(#winding-down)" stroke="${colors.cancel}" stroke-opacity="0.6"/>`,
        );
      }
    }
    for (const event of events) out.push(mark(event.kind, x(event.t), y));
    for (const event of events) {
      if (event.kind === "note" || (event.kind === "start" && event.label !== "start")) {
        out.push(`<text x="${x(event.t)}" y="${y - 9}" text-anchor="middle" font-size="10.5" fill="#475569">${escapeXml(event.label)}</text>`);
      }
    }
    const last = endLabel(events);
    if (last) {
      out.push(`<text x="${x(last.event.t) + 12}" y="${y + 4}" fill="${colors[last.event.kind]}" font-weight="600">${escapeXml(last.text)}</text>`);
    }
  });

  // Markers concerning the whole scenario.
  markers.forEach((marker, index) => {
    const mx = x(marker.t);
    const labelY = top - 14 - (index % 2) * 12;
    const anchor = mx + textWidth(marker.label) / 2 > width - 8 ? "end" : mx - textWidth(marker.label) / 2 < plotLeft - 40 ? "start" : "middle";
    out.push(
      `<line x1="${mx}" y1="${labelY + 4}" x2="${mx}" y2="${plotBottom}" stroke="#7c3aed" stroke-width="1.5" stroke-dasharray="4 3"/>`,
      `<text x="${mx}" y="${labelY}" text-anchor="${anchor}" fill="#6d28d9" font-weight="600">${escapeXml(marker.label)}</text>`,
    );
  });

  // Legend.
  const legend: Array<[MarkKind | "winding-down", string]> = [
    ["start", "started"],
    ["ok", "finished"],
    ["win", "won"],
    ["fail", "failed"],
    ["cancel", "cancelled"],
    ["winding-down", "cleanup after cancel"],
  ];
  let lx = 16;
  for (const [kind, text] of legend) {
    if (kind === "winding-down") {
      out.push(`<rect x="${lx - 6}" y="${legendY - 5}" width="18" height="10" fill="url(#winding-down)" stroke="${colors.cancel}" stroke-opacity="0.6"/>`);
      lx += 18;
    } else {
      out.push(mark(kind, lx, legendY));
      lx += 12;
    }
    out.push(`<text x="${lx}" y="${legendY + 4}" fill="#334155">${escapeXml(text)}</text>`);
    lx += textWidth(text) + 24;
  }
  out.push(`<text x="${width - 16}" y="${legendY + 4}" text-anchor="end" fill="#94a3b8">recorded while the example ran</text>`);
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
