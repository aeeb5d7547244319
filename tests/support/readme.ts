/**
 * The README rule, precisely: skipping blank lines and headings, the first thing in README.md is a
 * fenced code block (no language, or sh/bash/shell) whose only line is `npm install <name>`.
 */
export function installBlockOf(readme: string): string | undefined {
  const lines = readme.split(/\r?\n/);
  let index = lines.findIndex((line) => line.trim() !== "" && !line.startsWith("#"));
  if (index === -1 || !/^```(sh|bash|shell)?\s*$/.test(lines[index] ?? "")) return undefined;
  const body: string[] = [];
  for (index += 1; index < lines.length && !(lines[index] ?? "").startsWith("```"); index += 1) body.push(lines[index] ?? "");
  return index < lines.length ? body.join("\n") : undefined;
}
