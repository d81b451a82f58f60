// Number literals and typed values in AssemblyScript source. AssemblyScript types a float literal by its context
// (an f32 operand makes the other side f32), so every literal is printed as a float literal (never an integer literal,
// which would lose -0 and overflow above 2^63) and f32 literals only for values that are exactly float32.

export type AsType = "f32" | "f64";

/** A float literal that reads back as exactly this double (incl. -0, NaN, ±Infinity). */
export function f64Lit(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (Object.is(v, -0)) return "-0.0";
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** Is v exactly a float32 value (NaN counts)? */
export function isF32(v: number): boolean {
  return Number.isNaN(v) || Math.fround(v) === v;
}

/** A literal of type t; f32 only for exact float32 values. */
export function typedLit(v: number, t: AsType): string {
  if (t === "f64") return f64Lit(v);
  if (!isF32(v)) throw new Error(`internal: ${v} is not a float32 value`);
  return `<f32>${f64Lit(v)}`;
}

/** The narrowest type that holds all the values exactly (f32 only when allowed). */
export function typeOfValues(values: Iterable<number>, allowF32: boolean): AsType {
  if (!allowF32) return "f64";
  for (const v of values) if (!isF32(v)) return "f64";
  return "f32";
}

/** Byte size of a type. */
export const sizeOf = (t: AsType | "i32" | "u32"): number => (t === "f64" ? 8 : 4);
