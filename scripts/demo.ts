/**
 * `npm run demo`: a short walkthrough of what exists, narrated.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const docs = fileURLToPath(new URL("../docs/", import.meta.url));
const walkthrough = [
  ["Nested scopes: one reason travels down, only its owner swallows it", "cancel-core/scopes.ts"],
  ["The catch (e) pitfall, and isCancellation()", "cancel-core/catch-pitfall.ts"],
  ["Building a primitive of your own on cancel-core", "cancel-core/building-a-primitive.ts"],
] as const;

let failed = 0;
for (const [title, example] of walkthrough) {
  console.log(`\n=== ${title}  (docs/examples/${example})`);
  const run = spawnSync(process.execPath, ["--import", "tsx", `examples/${example}`], { cwd: docs, stdio: "inherit" });
  if (run.status !== 0) failed++;
}
console.log(failed ? `\n${failed} part(s) of the demo failed` : "\nEvery promise of the demo held.");
process.exit(failed ? 1 : 0);
