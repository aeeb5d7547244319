/**
 * `pnpm bench [suite …]`: runs every suite in bench/suites (or the named ones), each in its own
 * Node process so that one suite's heap and RSS never colour another's, and fails if any fails.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("./suites/", import.meta.url));
const wanted = process.argv.slice(2);
const suites = readdirSync(dir)
  .filter((file) => file.endsWith(".ts"))
  .map((file) => file.slice(0, -3))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();
let failed = 0;
for (const suite of suites) {
  const result = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", `${dir}${suite}.ts`], { stdio: "inherit" });
  if (result.status !== 0) {
    failed++;
    console.error(`bench suite ${suite} failed (exit ${result.status ?? result.signal})`);
  }
}
process.exit(failed ? 1 : 0);
