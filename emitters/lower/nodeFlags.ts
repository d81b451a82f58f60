// The packed int32 of a table-style node (feature index and flags) and the leaf markers: the one definition of the
// layout that the TypeScript and AssemblyScript table printers (and the lowered-form dump) read.

/** low 24 bits: the feature index */
export const FEATURE_MASK = 0xffffff;
/** bit number of DEFAULT_LEFT (the AssemblyScript walk shifts it down to 0/1) */
export const DEFAULT_LEFT_BIT = 24;
/** missing values (and the zero band) go left */
export const DEFAULT_LEFT = 1 << DEFAULT_LEFT_BIT;
/** a categorical node: the node's value is its category set index */
export const CATEGORICAL = 1 << 25;
/** a numeric node with LightGBM's zero band (MISSING_ZERO): |v| <= zeroThreshold follows the default direction */
export const ZERO_BAND = 1 << 26;
/** the packed word of a plain leaf */
export const LEAF = -1;
/** the packed word of a linear leaf (its right slot indexes the linear-leaf tables) */
export const LINEAR_LEAF = -2;

/** The packed word of a split node. */
export function packNode(feature: number, defaultLeft: boolean, categorical: boolean, zeroBand: boolean): number {
  return feature | (defaultLeft ? DEFAULT_LEFT : 0) | (categorical ? CATEGORICAL : 0) | (zeroBand ? ZERO_BAND : 0);
}

export type DecodedNode =
  | { kind: "leaf" }
  | { kind: "linearLeaf" }
  | { kind: "split"; feature: number; defaultLeft: boolean; categorical: boolean; zeroBand: boolean };

/** A packed word taken apart (for dumps and tests). */
export function decodeNode(fk: number): DecodedNode {
  if (fk === LEAF) return { kind: "leaf" };
  if (fk === LINEAR_LEAF) return { kind: "linearLeaf" };
  return {
    kind: "split",
    feature: fk & FEATURE_MASK,
    defaultLeft: (fk & DEFAULT_LEFT) !== 0,
    categorical: (fk & CATEGORICAL) !== 0,
    zeroBand: (fk & ZERO_BAND) !== 0,
  };
}
