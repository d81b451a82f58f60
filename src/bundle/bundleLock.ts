// One build at a time per bundle folder: a lock file holding the builder's pid; a lock left by a
// process that no longer runs is taken over.

import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { CompileError } from "../errors.ts";

export const LOCK_FILE = ".modelc-bundle.lock";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid holding the lock, 0 when it is unknown but fresh, or undefined when the lock is stale or gone. */
function holder(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    if (Number.isInteger(pid) && pid > 0) return alive(pid) ? pid : undefined;
    // an empty lock file may be one being written this instant
    return Date.now() - statSync(file).mtimeMs < 5000 ? 0 : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the folder's lock; returns the function that releases it. */
export function bundleLock(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new CompileError("E_IO", `cannot create ${LOCK_FILE}`, { file: dir });
      const pid = holder(file);
      if (pid !== undefined)
        throw new CompileError(
          "E_USAGE",
          `another modelc bundle (pid ${pid || "?"}) is building this folder`,
          { file: dir },
          `wait for it, or remove ${LOCK_FILE} if it is stale`,
        );
      rmSync(file, { force: true });
    }
  }
  throw new CompileError("E_IO", "cannot take the bundle folder's lock", { file: dir });
}
