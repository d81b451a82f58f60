// Re-reading the bundle when it changes: watching its folder and the pin config, and SIGHUP.

import { watch, watchFile, unwatchFile, type FSWatcher } from "node:fs";
import type { ModelRegistry } from "./registry.ts";

/** Reloads now; a failure is logged, and what is loaded keeps serving. */
export function reload(refresh: () => Promise<void>, log: (line: string) => void): void {
  refresh().catch((e) => log(`modelc serve: reload failed: ${(e as Error).message}`));
}

export function reloadOnSighup(refresh: () => Promise<void>, log: (line: string) => void): void {
  process.on("SIGHUP", () => reload(refresh, log));
}

/** Watches (unless `watch` is false) the bundle folder and the config file; `close()` stops watching. */
export function watchForReload(registry: ModelRegistry, opts: { watch?: boolean; configFile?: string }, log: (line: string) => void): { close(): void } {
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  // a rebuild writes several files: one reload, 50 ms after the last change
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      reload(() => registry.refresh(), log);
    }, 50);
  };
  if (opts.watch !== false) {
    // the bundle writes manifest.json last (atomically), so it is the signal
    const w = watch(registry.dir, (_event, file) => {
      if (file === null || file === "manifest.json") schedule();
    });
    w.on("error", (e) => log(`modelc serve: watching ${registry.dir} stopped: ${e.message}`));
    watchers.push(w);
    if (opts.configFile) watchFile(opts.configFile, { interval: 200 }, schedule);
  }
  return {
    close() {
      for (const w of watchers) w.close();
      if (opts.configFile) unwatchFile(opts.configFile);
      if (timer) clearTimeout(timer);
    },
  };
}
