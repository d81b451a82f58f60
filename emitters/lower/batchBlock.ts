// Rows per block of a tree-major batch, the same for the JavaScript module and the WebAssembly one.

/**
 * Rows per block of a tree-major batch (Body.blockFn): as many as keep the block's rows within 64 KB (a tree's nodes
 * and the rows then share L2), a power of two from 16 to 256. Measured on the 1000-tree XGBoost model (50 float32
 * features, bench/batch-ab.mjs): 256 rows ran about 1.1x faster than 64.
 */
export function batchBlock(width: number, bytesPerValue: number): number {
  let b = 256;
  while (b > 16 && b * width * bytesPerValue > 65536) b >>= 1;
  return b;
}
