// The progress display of `modelc bundle` on a terminal: a status line rewritten in place, and one
// line per finished model above it.

import { expect, it } from "vitest";
import { BundleProgress, formatBytes } from "../../src/bundle/bundleProgress.ts";
import type { ChunkResult } from "../../src/bundle/compileChunk.ts";

it("shows running models on a status line and prints finished ones above it", () => {
  let text = "";
  const progress = new BundleProgress({ isTTY: true, columns: 60, write: (s: string) => (text += s) });
  progress.onEvent({ type: "plan", total: 3, build: ["churn", "fraud"], unchanged: 1, removed: ["old"], jobs: 2 });
  progress.onEvent({ type: "start", name: "churn", sourceBytes: 2e6 });
  progress.onEvent({ type: "start", name: "fraud", sourceBytes: 1e6 });
  const entry = { chunk: "churn.0123456789abcdef.js", bytes: 1_500_000, gzipBytes: 600_000, sourceBytes: 2_000_000, style: "table" };
  progress.onEvent({ type: "done", name: "churn", result: { entry, ms: 1234, trees: 1, nodes: 1, heapMB: 1 } as unknown as ChunkResult });
  progress.stop();
  const screen = text.split(/\r\x1b\[K/);
  expect(screen[1]).toBe("modelc bundle: 3 models, 2 to build, 1 unchanged, 1 removed on 2 workers\n");
  expect(screen.some((s) => /^\[0\/2\] \d+ ms {2}building churn, fraud$/.test(s))).toBe(true);
  expect(screen).toContain("  churn    1.5 MB (600.0 kB gz) from 2.0 MB  table  1.2 s\n");
  expect(screen.filter((s) => s.startsWith("[1/2]")).every((s) => s.endsWith("building fraud"))).toBe(true);
  expect(screen.every((s) => s.replace(/\n$/, "").length < 80)).toBe(true);
  expect(text.endsWith("\r\x1b[K")).toBe(true);
});

it("formats sizes", () => {
  expect([999, 1000, 1_234_567, 2e9].map(formatBytes)).toEqual(["999 B", "1.0 kB", "1.2 MB", "2.00 GB"]);
});
