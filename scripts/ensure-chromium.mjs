#!/usr/bin/env node
// Makes sure Debian's `chromium` package is installed for the browser tests of the docs site and
// of the universal packages. Never downloads a browser from anywhere but the system's apt sources.
// - chromium already present: prints where it is and exits 0;
// - missing, running as root with apt-get: `apt-get update && apt-get install -y chromium`;
// - missing and not installable here: explains why and exits 0 (the browser tests then skip and
//   say so), so `npm test` still runs everything else.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean);

function findChromium() {
  return candidates.find((path) => existsSync(path));
}

function run(command, args) {
  console.log(`> ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.error) {
    console.log(`ensure-chromium: ${command} could not start: ${result.error.message}`);
    return false;
  }
  if (result.status !== 0) {
    console.log(`ensure-chromium: ${command} ${args[0]} exited with ${result.status ?? result.signal}`);
    return false;
  }
  return true;
}

function hasAptGet() {
  return spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
}

function main() {
  const found = findChromium();
  if (found) {
    console.log(`ensure-chromium: found ${found}, nothing to install`);
    return;
  }
  if (process.platform !== "linux" || !hasAptGet()) {
    console.log("ensure-chromium: chromium is missing and apt-get is not available here; browser tests will be skipped");
    return;
  }
  if (typeof process.getuid !== "function" || process.getuid() !== 0) {
    console.log(
      "ensure-chromium: chromium is missing and this is not root; run `sudo apt-get install -y chromium` " +
        "to enable the browser tests (they will be skipped until then)",
    );
    return;
  }
  console.log("ensure-chromium: installing Debian's chromium package (about a minute)");
  const installed = run("apt-get", ["update"]) && run("apt-get", ["install", "-y", "chromium"]);
  const path = findChromium();
  if (installed && path) {
    console.log(`ensure-chromium: installed ${path}`);
  } else {
    console.log("ensure-chromium: could not install chromium; browser tests will be skipped");
  }
}

main();
