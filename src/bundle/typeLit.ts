// Printing plain data as an exact TypeScript type (`{ readonly name: "churn"; readonly nFeatures: 4 }`),
// with every string through the safe literal printer.

import { numLit, strLit } from "../../emitters/literals.ts";

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function typeLit(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "string") return strLit(v);
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") return Number.isFinite(v) ? numLit(v === 0 ? 0 : v) : "number";
  if (Array.isArray(v)) return `readonly [${v.map(typeLit).join(", ")}]`;
  if (typeof v === "object") {
    const parts = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `readonly ${IDENT.test(k) ? k : strLit(k)}: ${typeLit(x)}`);
    return `{ ${parts.join("; ")} }`;
  }
  throw new Error(`cannot type ${typeof v}`);
}

/** A union of literal types, each once (`0 | 1`, `"cat" | "dog"`); `never` when empty. */
export function unionLit(values: readonly unknown[]): string {
  const parts = [...new Set(values.map(typeLit))];
  return parts.length ? parts.join(" | ") : "never";
}
