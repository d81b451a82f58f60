// The linear leaves (LightGBM linear_tree) of a table-style module gathered into four flat tables.

import type { LinearLeaves } from "../../src/ir/types.ts";

/**
 * The linear leaves of a table-style module, gathered in node order: each leaf's constant (LC), its
 * coefficient range (LS: start offsets, one more than leaves), features (LF) and coefficients (LK).
 */
export class LinearLeafTables {
  readonly constants: number[] = [];
  readonly starts: number[] = [0];
  readonly features: number[] = [];
  readonly coeffs: number[] = [];

  /** Adds leaf `li` of a tree's linear leaves and returns its index in these tables. */
  add(lin: LinearLeaves, li: number): number {
    this.constants.push(lin.constant[li]!);
    for (let j = lin.start[li]!; j < lin.start[li + 1]!; j++) {
      this.features.push(lin.features[j]!);
      this.coeffs.push(lin.coeffs[j]!);
    }
    this.starts.push(this.features.length);
    return this.constants.length - 1;
  }
}
