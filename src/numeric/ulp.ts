// Distance between two doubles in units in the last place (adjacent doubles are 1 apart).

const buf = new DataView(new ArrayBuffer(8));

function ordered(x: number): bigint {
  buf.setFloat64(0, x);
  const b = buf.getBigInt64(0);
  // map the sign-magnitude bit pattern to a monotonic integer line (-0 and +0 both map to 0)
  return b < 0n ? -(b & 0x7fffffffffffffffn) : b;
}

/** ulps between a and b; 0 when both are NaN; Infinity when only one is NaN. */
export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const d = ordered(a) - ordered(b);
  return Number(d < 0n ? -d : d);
}

/** Exact equality of two outputs: same double, NaN equals NaN, -0 differs from +0. */
export function sameValue(a: number, b: number): boolean {
  return Object.is(a, b);
}
