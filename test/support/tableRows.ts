// Table fixtures (rows.json: rows with strings) through the numeric-row comparison of src/parity.ts: the comparison
// passes rows of one value, the row's index, and these call the module with the real row in the form given.

import { parseTolerantJson } from "../../src/io/readJson.ts";
import { readFileSync } from "node:fs";

export interface TableRows {
  columns: string[];
  dtypes: string[];
  rows: unknown[][];
}

export function readTableRows(file: string): TableRows {
  return parseTolerantJson(readFileSync(file, "utf8")) as TableRows;
}

/** The rows as objects by column name. */
export function rowObjects(t: TableRows): Record<string, unknown>[] {
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
}

/** The module seen through row indices, and the rule reading the encoded rows (src/parityTable.ts). */
export { byRowIndex as byIndex, ruleByRowIndex as ruleByIndex } from "../../src/parityTable.ts";
