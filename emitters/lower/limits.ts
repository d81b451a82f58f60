// Size limits of the functions the ifelse style generates (every target cuts trees and groups them by these).

export interface IfElseLimits {
  /** internal nodes per generated function */
  nodesPerFunction: number;
  /** nesting depth of `if` blocks per generated function */
  depthPerFunction: number;
  /** tree calls per group function */
  treesPerGroup: number;
}

export const DEFAULT_IFELSE_LIMITS: IfElseLimits = { nodesPerFunction: 800, depthPerFunction: 24, treesPerGroup: 100 };

/** Trees with at most this many conditions (and within the nesting limit) may be written inline in their group function (the TypeScript printer does). */
export const INLINE_MAX_NODES = 128;
