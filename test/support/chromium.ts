// Headless Chromium for the browser tests: the binary scripts/ensure-chromium.sh provides, launched with
// the flags every browser test uses.

import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";

const ROOT = join(import.meta.dirname, "..", "..");

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function launchChromium(): Promise<Browser> {
  const executablePath = execFileSync("bash", [join(ROOT, "scripts", "ensure-chromium.sh")], { encoding: "utf8" }).trim();
  return chromium.launch({ executablePath, args: ARGS });
}
