// The TypeScript runtime helpers and their AssemblyScript ports stay in step: same files, same names, same dependencies (emitters/runtimePorts.ts).

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { asRuntimeRequires } from "../emitters/as/runtime.ts";
import { runtimeImports } from "../emitters/runtimeSource.ts";
import { RUNTIME_PORTS, TS_ONLY_RUNTIME } from "../emitters/runtimePorts.ts";

const RT = join(import.meta.dirname, "..", "src", "runtime");
const AS = join(RT, "as");

/** .ts files under src/runtime (relative, recursive, not tests) and .as files under src/runtime/as. */
function tsFiles(rel = ""): string[] {
  return readdirSync(join(RT, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return r === "as" ? [] : tsFiles(r);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [r] : [];
  });
}
const asFiles = () => readdirSync(AS).filter((f) => f.endsWith(".as"));

const tsExports = (file: string) =>
  [...readFileSync(join(RT, file), "utf8").matchAll(/^export\s+(?:function|const|let|class)\s+([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!);
const asText = (file: string) => readFileSync(join(AS, file), "utf8");
/** top-level names of a port: functions (also @inline) and globals */
const asNames = (file: string) => [...asText(file).matchAll(/^(?:@inline\s+)?(?:function|const|let)\s+([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!);
/** top-level functions of a port meant to be called (file-private helpers are named `<file>_…`) */
const asFunctions = (file: string) =>
  [...asText(file).matchAll(/^(?:@inline\s+)?function\s+([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!).filter((n) => !n.includes("_"));

/** files on disk that the table lacks, and files of the table missing on disk */
const setDiff = (onDisk: string[], declared: string[]) => ({
  undeclared: onDisk.filter((f) => !declared.includes(f)),
  missing: declared.filter((f) => !onDisk.includes(f)),
});

describe("runtime ports table (emitters/runtimePorts.ts)", () => {
  it("declares every .as file of src/runtime/as exactly once", () => {
    const declared = RUNTIME_PORTS.map((p) => p.as);
    expect(new Set(declared).size, "an .as file declared twice").toBe(declared.length);
    expect(setDiff(asFiles(), declared), "src/runtime/as/*.as vs RUNTIME_PORTS[].as").toEqual({ undeclared: [], missing: [] });
  });

  it("declares every .ts helper of src/runtime exactly once: ported by one .as file, or TypeScript-only", () => {
    const declared = [...RUNTIME_PORTS.flatMap((p) => p.ts), ...Object.keys(TS_ONLY_RUNTIME)];
    expect(
      declared.filter((f, i) => declared.indexOf(f) !== i),
      "declared twice",
    ).toEqual([]);
    expect(setDiff(tsFiles(), declared), "src/runtime/**/*.ts vs RUNTIME_PORTS[].ts + TS_ONLY_RUNTIME").toEqual({ undeclared: [], missing: [] });
  });
});

describe("one scope once inlined", () => {
  const dupes = (names: string[]) => names.filter((n, i) => names.indexOf(n) !== i);
  it("every top-level name is unique across src/runtime", () => {
    const names = tsFiles().flatMap((f) =>
      [...readFileSync(join(RT, f), "utf8").matchAll(/^(?:export\s+)?(?:function|const|let|class)\s+([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!),
    );
    expect(dupes(names)).toEqual([]);
  });
  it("every top-level name is unique across src/runtime/as", () => {
    expect(dupes(asFiles().flatMap(asNames))).toEqual([]);
  });
});

describe.each(RUNTIME_PORTS.map((p) => [p.as, p] as const))("%s", (_, port) => {
  const exported = port.ts.flatMap(tsExports);

  it("has every name its TypeScript helpers export (except the declared TypeScript-only ones)", () => {
    const names = new Set(asNames(port.as));
    const tsOnly = Object.keys(port.tsOnly ?? {});
    expect(
      tsOnly.filter((n) => !exported.includes(n)),
      "tsOnly names that are no export",
    ).toEqual([]);
    expect(
      exported.filter((n) => !tsOnly.includes(n) && !names.has(n)),
      `exports of ${port.ts.join(", ")} missing from ${port.as}`,
    ).toEqual([]);
    expect(
      tsOnly.filter((n) => names.has(n)),
      "tsOnly names the port has",
    ).toEqual([]);
  });

  it("has no other public function than those (and the declared AssemblyScript-only ones)", () => {
    const asOnly = Object.keys(port.asOnly ?? {});
    const fns = asFunctions(port.as);
    expect(
      asOnly.filter((n) => !fns.includes(n) || exported.includes(n)),
      "stale asOnly names",
    ).toEqual([]);
    expect(
      fns.filter((n) => !exported.includes(n) && !asOnly.includes(n)),
      `functions of ${port.as} that ${port.ts.join(", ")} do not export`,
    ).toEqual([]);
  });

  it("requires the ports of what its TypeScript helpers import, and names them in its header", () => {
    const portOf = (ts: string) => RUNTIME_PORTS.find((p) => p.ts.includes(ts))?.as ?? `(no port of ${ts})`;
    const imported = new Set(
      port.ts
        .flatMap(runtimeImports)
        .filter((f) => !port.ts.includes(f))
        .map(portOf),
    );
    expect(asRuntimeRequires(port.as).sort()).toEqual([...imported].sort());
    const header = asText(port.as)
      .split("\n")
      .filter((l) => l.startsWith("//"))
      .slice(0, 6)
      .join("\n");
    for (const ts of port.ts) expect(header, `${port.as} header names ${ts}`).toContain(ts.split("/").pop());
  });
});
