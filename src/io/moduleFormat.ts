// Which module format Node gives a .js file at a path: the nearest package.json's "type" decides.

import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export interface PackageType {
  format: "esm" | "cjs";
  /** the package.json that decided it, or null (none found: Node reads ES syntax as a module) */
  packageJson: string | null;
}

/** The format of `.js` files written at `file` (read from package.json files above it). */
export function moduleFormatAt(file: string): PackageType {
  let dir = dirname(resolve(file));
  for (;;) {
    const pj = join(dir, "package.json");
    let text: string | undefined;
    try {
      text = readFileSync(pj, "utf8");
    } catch {
      // no package.json at this level
    }
    if (text !== undefined) {
      let type: unknown;
      try {
        type = (JSON.parse(text) as { type?: unknown }).type;
      } catch {
        type = undefined;
      }
      return { format: type === "module" ? "esm" : "cjs", packageJson: pj };
    }
    const up = dirname(dir);
    if (up === dir) return { format: "esm", packageJson: null };
    dir = up;
  }
}
