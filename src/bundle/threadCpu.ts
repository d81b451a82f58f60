// CPU time of the calling thread (main or worker), so a build report shows the work each thread did whatever the
// machine's load: wall time on a shared machine mostly measures the other users.

import { readFileSync } from "node:fs";

/** USER_HZ: 100 on every Linux platform Node runs on */
const CLOCK_TICKS = 100;

/** CPU time (user + system) of the calling thread in ms, from /proc/thread-self/stat (Linux), else null. */
export function threadCpuMs(): number | null {
  try {
    const stat = readFileSync("/proc/thread-self/stat", "utf8");
    // the fields after the command name (which may hold spaces and parentheses) start at field 3;
    // utime and stime are fields 14 and 15
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(f[11]) + Number(f[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS : null;
  } catch {
    return null;
  }
}
