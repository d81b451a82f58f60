// What `modelc bundle` shows while it works: on a terminal a live status line (models done, running,
// elapsed) above which each finished model prints its name, size and time; elsewhere only the
// finished lines and the summary.

import type { BundleEvent, BundleReport } from "./bundle.ts";

export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export class BundleProgress {
  private readonly t0 = performance.now();
  private readonly running = new Set<string>();
  private total = 0;
  private done = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private width = 0;

  constructor(private readonly out: ProgressStream) {}

  readonly onEvent = (e: BundleEvent): void => {
    if (e.type === "plan") {
      this.total = e.build.length;
      this.width = Math.min(40, Math.max(0, ...e.build.map((n) => n.length)));
      const parts = [`${e.total} models`, `${e.build.length} to build`, `${e.unchanged} unchanged`];
      if (e.removed.length) parts.push(`${e.removed.length} removed`);
      this.line(`modelc bundle: ${parts.join(", ")}${e.build.length ? ` on ${e.jobs} worker${e.jobs > 1 ? "s" : ""}` : ""}`);
      if (this.out.isTTY && e.build.length) {
        this.timer = setInterval(() => this.status(), 250);
        this.timer.unref();
      }
    } else if (e.type === "start") {
      this.running.add(e.name);
      this.status();
    } else {
      this.running.delete(e.name);
      this.done++;
      const r = e.result;
      // a wasm model: its .wasm and loader chunk together
      const w = r.entry.wasm;
      const bytes = r.entry.bytes + (w?.bytes ?? 0);
      const gz = `${w ? "wasm + js, " : ""}${formatBytes(r.entry.gzipBytes + (w?.gzipBytes ?? 0))} gz`;
      this.line(
        `  ${e.name.padEnd(this.width)}  ${formatBytes(bytes).padStart(8)} (${gz}) from ${formatBytes(r.entry.sourceBytes)}  ${r.entry.style}  ${formatMs(r.ms)}`,
      );
    }
  };

  finish(report: BundleReport): void {
    this.stop();
    const built = report.models.filter((m) => m.status === "built").length;
    const size = report.models.reduce((s, m) => s + m.bytes + (m.wasm?.bytes ?? 0), report.runtime?.bytes ?? 0);
    this.out.write(
      `modelc bundle: ${report.models.length} models → ${report.outDir} (${built} built, ${report.models.length - built} unchanged` +
        `${report.removed.length ? `, ${report.removed.length} removed` : ""}), ${formatBytes(size)} in ${formatMs(report.ms)}\n`,
    );
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clearStatus();
  }

  private line(s: string): void {
    this.clearStatus();
    this.out.write(s + "\n");
    this.status();
  }

  private clearStatus(): void {
    if (this.out.isTTY) this.out.write("\r\x1b[K");
  }

  private status(): void {
    if (!this.out.isTTY || !this.timer) return;
    const names = [...this.running].join(", ");
    const s = `[${this.done}/${this.total}] ${formatMs(performance.now() - this.t0)}${names ? `  building ${names}` : ""}`;
    const cols = this.out.columns || 80;
    this.out.write(`\r\x1b[K${s.length > cols - 1 ? s.slice(0, cols - 2) + "…" : s}`);
  }
}
