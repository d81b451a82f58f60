// Printing values into generated source so they read back exactly and can never break out of a literal.

/** A number literal that parses back to exactly the same double (incl. -0, NaN, ±Infinity). */
export function numLit(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (Object.is(v, -0)) return "-0";
  return String(v);
}

/**
 * A string literal safe anywhere in JS/TS source (and inside an HTML <script>): JSON escaping plus
 * U+2028/U+2029, `<`, `>` and every non-ASCII character as \u escapes.
 */
export function strLit(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff<>]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** A JSON-like literal of plain data (objects, arrays, strings, numbers, booleans) using the safe printers. */
export function dataLit(v: unknown): string {
  if (v === null || v === undefined) return "undefined";
  if (typeof v === "number") return numLit(v);
  if (typeof v === "string") return strLit(v);
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(dataLit).join(", ")}]`;
  if (typeof v === "object") {
    const parts = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : strLit(k)}: ${dataLit(x)}`);
    return `{ ${parts.join(", ")} }`;
  }
  throw new Error(`cannot print ${typeof v}`);
}

/** Little-endian bytes of a typed array as base64 (for compact tables in generated code). */
export function base64Of(arr: Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array): string {
  if (!littleEndian()) throw new Error("modelc emits tables on little-endian hosts only");
  return Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength).toString("base64");
}

function littleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
