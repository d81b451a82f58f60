// Mutations of real model files for fuzzing the importers: structural edits of the parsed document
// (dropped fields, wrong types, wrong lengths, hostile numbers and indices, deep nesting) and
// byte-level damage (flips, truncation). Everything is driven by a seeded random source.

export type Rand = () => number; // uniform in [0, 1)

export function rng(seed: number): Rand {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

type Path = (string | number)[];

/** Paths of every value in a document (iterative; capped so huge arrays don't dominate). */
export function allPaths(doc: unknown, cap = 20000): Path[] {
  const out: Path[] = [];
  const stack: { v: unknown; p: Path }[] = [{ v: doc, p: [] }];
  while (stack.length && out.length < cap) {
    const { v, p } = stack.pop()!;
    out.push(p);
    if (Array.isArray(v)) {
      const step = Math.max(1, Math.floor(v.length / 64));
      for (let i = 0; i < v.length; i += step) stack.push({ v: v[i], p: [...p, i] });
    } else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) stack.push({ v: x, p: [...p, k] });
    }
  }
  return out;
}

function getAt(doc: unknown, p: Path): unknown {
  let v = doc as Record<string | number, unknown>;
  for (const k of p) v = v[k] as Record<string | number, unknown>;
  return v;
}

const HOSTILE: unknown[] = [
  null,
  true,
  "x",
  "NaN",
  {},
  [],
  -1,
  0,
  0.5,
  -0,
  1e300,
  -1e300,
  NaN,
  Infinity,
  -Infinity,
  2 ** 31,
  -(2 ** 31),
  2 ** 53 + 2,
  1e-320,
  "1e999",
  "\u2028</script>${x}`*/",
];

/** One structural mutation applied in place to a deep copy of `doc`; returns the copy. */
export function mutateDocument(doc: unknown, paths: Path[], r: Rand): unknown {
  const copy = structuredClone(doc);
  const n = 1 + Math.floor(r() * 3);
  for (let m = 0; m < n; m++) {
    const p = pick(r, paths);
    if (p.length === 0) continue;
    const parentPath = p.slice(0, -1);
    const key = p[p.length - 1]!;
    let parent: Record<string | number, unknown>;
    try {
      parent = getAt(copy, parentPath) as Record<string | number, unknown>;
    } catch {
      continue;
    }
    if (parent === null || typeof parent !== "object") continue;
    const cur = parent[key];
    const op = Math.floor(r() * 7);
    if (op === 0) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (op === 1) {
      parent[key] = pick(r, HOSTILE);
    } else if (op === 2 && Array.isArray(cur)) {
      // wrong length
      if (r() < 0.5) cur.length = Math.floor(cur.length / 2);
      else cur.push(...cur.slice(0, 3));
    } else if (op === 3 && Array.isArray(cur) && cur.length) {
      // hostile index: a node pointing at itself, an ancestor, or out of range (cycles, shared children)
      const i = Math.floor(r() * cur.length);
      cur[i] = pick(r, [0, i, i - 1, cur.length, cur.length + 5, -2, -1, 2 ** 31 - 1, Math.floor(r() * cur.length)]);
    } else if (op === 4) {
      // deep nesting
      let v: unknown = cur;
      const depth = pick(r, [50, 2000, 20000]);
      for (let d = 0; d < depth; d++) v = [v];
      parent[key] = v;
    } else if (op === 5 && typeof cur === "string") {
      parent[key] = pick(r, ["", "[", "5E-1]", "[1,2,3]", "NaN", "-1", "1e999", "abc", "0x10", cur + cur]);
    } else {
      parent[key] =
        typeof cur === "number"
          ? pick(
              r,
              HOSTILE.filter((h) => typeof h === "number"),
            )
          : pick(r, HOSTILE);
    }
  }
  return copy;
}

/** JSON text with NaN/Infinity written as the bare tokens model files use. Iterative. */
export function toJsonText(doc: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [doc];
  const CLOSE_ARR = Symbol("]");
  const CLOSE_OBJ = Symbol("}");
  const COMMA = Symbol(",");
  while (stack.length) {
    const v = stack.pop();
    if (v === CLOSE_ARR) out.push("]");
    else if (v === CLOSE_OBJ) out.push("}");
    else if (v === COMMA) out.push(",");
    else if (typeof v === "string" && (v as string).startsWith("\u0000key:")) out.push(JSON.stringify((v as string).slice(5)) + ":");
    else if (typeof v === "number") out.push(Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : JSON.stringify(v));
    else if (Array.isArray(v)) {
      out.push("[");
      stack.push(CLOSE_ARR);
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push(v[i]);
        if (i > 0) stack.push(COMMA);
      }
    } else if (v && typeof v === "object") {
      out.push("{");
      stack.push(CLOSE_OBJ);
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        stack.push(entries[i]![1], `\u0000key:${entries[i]![0]}`);
        if (i > 0) stack.push(COMMA);
      }
    } else out.push(JSON.stringify(v) ?? "null");
  }
  return out.join("");
}

/** Byte-level damage: flips, inserted garbage, truncation. */
export function mutateBytes(bytes: Uint8Array, r: Rand): Uint8Array {
  const b = new Uint8Array(bytes);
  const op = Math.floor(r() * 3);
  if (op === 0) {
    const n = 1 + Math.floor(r() * 8);
    for (let i = 0; i < n; i++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
    return b;
  }
  if (op === 1) return b.subarray(0, Math.floor(r() * b.length));
  const at = Math.floor(r() * b.length);
  const junk = Uint8Array.from({ length: 1 + Math.floor(r() * 16) }, () => Math.floor(r() * 256));
  const out = new Uint8Array(b.length + junk.length);
  out.set(b.subarray(0, at));
  out.set(junk, at);
  out.set(b.subarray(at), at + junk.length);
  return out;
}

/** Line-level damage for text formats (LightGBM): drop, duplicate, swap, corrupt a number. */
export function mutateLines(text: string, r: Rand): string {
  const lines = text.split("\n");
  const n = 1 + Math.floor(r() * 3);
  for (let m = 0; m < n && lines.length > 1; m++) {
    const i = Math.floor(r() * lines.length);
    const op = Math.floor(r() * 5);
    if (op === 0) lines.splice(i, 1);
    else if (op === 1) lines.splice(i, 0, lines[i]!);
    else if (op === 2) {
      const j = Math.floor(r() * lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    } else if (op === 3) {
      lines[i] = lines[i]!.replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/, () => pick(r, ["-1", "999999999", "nan", "inf", "1e400", "abc", "", "0.5", "-2147483648"]));
    } else {
      const parts = lines[i]!.split(" ");
      parts.length = Math.max(1, Math.floor(parts.length * r()));
      lines[i] = parts.join(" ");
    }
  }
  return lines.join("\n");
}
