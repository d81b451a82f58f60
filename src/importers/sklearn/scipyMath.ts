// Compile-time constants of scikit-learn's gradient boosting init (the link of the prior's class
// fractions), computed as scipy computes them: scipy.special.logit with glibc log / log1p.
// These run in the compiler only; generated code receives the resulting double.

import { fma } from "../../runtime/math/fma.ts";
import { log } from "../../runtime/math/log.ts";

const buf = new DataView(new ArrayBuffer(8));
const hi = (x: number): number => {
  buf.setFloat64(0, x);
  return buf.getInt32(0);
};
const withHi = (x: number, h: number): number => {
  buf.setFloat64(0, x);
  buf.setInt32(0, h);
  return buf.getFloat64(0);
};

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const LP1 = 6.666666666666735130e-1;
const LP2 = 3.999999999940941908e-1;
const LP3 = 2.857142874366239149e-1;
const LP4 = 2.222219843214978396e-1;
const LP5 = 1.818357216161805012e-1;
const LP6 = 1.531383769920937332e-1;
const LP7 = 1.479819860511658591e-1;

/**
 * glibc's log1p as x86_64 CPUs with FMA run it (__log1p_fma: the fdlibm C below built with -mfma,
 * https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/dbl-64/s_log1p.c and
 * sysdeps/x86_64/fpu/multiarch/s_log1p-fma.c). GCC fuses R2, R3, R4, R, k·ln2_lo + c and the
 * small-f polynomial (disassembly of this machine's libm); products that are exact are left unfused.
 */
export function log1p(x: number): number {
  const hx = hi(x);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let hu = 0;
  let c = 0;
  if (hx < 0x3fda827a) {
    if (ax >= 0x3ff00000) return x === -1 ? -Infinity : NaN;
    if (ax < 0x3e200000) return ax < 0x3c900000 ? x : x - x * x * 0.5;
    if (hx > 0 || hx <= (0xbfd2bec3 | 0)) {
      k = 0;
      f = x;
      hu = 1;
    }
  } else if (hx >= 0x7ff00000) return x + x;
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1.0 + x;
      hu = hi(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0);
      c /= u;
    } else {
      u = x;
      hu = hi(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      u = withHi(u, hu | 0x3ff00000);
    } else {
      k += 1;
      u = withHi(u, hu | 0x3fe00000);
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1.0;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    if (f === 0) {
      if (k === 0) return 0;
      c = fma(k, LN2_LO, c);
      return k * LN2_HI + c;
    }
    const R = hfsq * fma(-f, 0.66666666666666666, 1.0);
    return k === 0 ? f - R : k * LN2_HI - ((R - fma(k, LN2_LO, c)) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const z2 = z * z;
  const R2 = fma(z, LP3, LP2);
  const z4 = z2 * z2;
  const R3 = fma(z, LP5, LP4);
  const z6 = z4 * z2;
  const R4 = fma(z, LP7, LP6);
  const R = fma(z6, R4, fma(z4, R3, fma(z, LP1, z2 * R2)));
  if (k === 0) return f - (hfsq - s * (hfsq + R));
  return k * LN2_HI - ((hfsq - (s * (hfsq + R) + fma(k, LN2_LO, c))) - f);
}

/**
 * scipy.special.logit for doubles. scipy >= 1.15 (scipy/scipy#21388, special/_logit.h) uses
 * log1p(s) - log1p(-s) with s = 2(x - 0.5) for 0.3 <= x <= 0.65; before, log(x / (1 - x)) everywhere.
 */
export function scipyLogit(x: number, scipyVersion: number[]): number {
  const modern = scipyVersion[0]! > 1 || (scipyVersion[0] === 1 && scipyVersion[1]! >= 15);
  if (modern && !(x < 0.3 || x > 0.65)) {
    const s = 2 * (x - 0.5);
    return log1p(s) - log1p(-s);
  }
  return log(x / (1 - x));
}
