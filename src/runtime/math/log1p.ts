// Bit-exact glibc 2.36 log1p(x) for x86_64: `log1p` reproduces the FMA+AVX2 ifunc variant (__log1p_fma), `log1pNoFma`
// the SSE2 one.
//
// Algorithm (fdlibm, with the polynomial split into R1..R4 for pipelining): 1 + x = 2^k (1 + f) with
// sqrt(2)/2 < 1 + f < sqrt(2) and a correction c for the rounding of 1 + x; s = f / (2 + f), R(s^2) ~ 2s^2/3 + ...,
// log1p(x) = k ln2_hi + (f - (hfsq - (s (hfsq + R) + (k ln2_lo + c)))).
// https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/dbl-64/s_log1p.c
// The FMA variant is the same C compiled with -mfma -mavx2 (multiarch/s_log1p-fma.c). Disassembled from this machine's
// libm (ifunc target of log1p, located by `cmp $0x3fda8279`), GCC fused exactly these operations:
//   R2 = fma(z, Lp3, Lp2), R3 = fma(z, Lp5, Lp4), R4 = fma(z, Lp7, Lp6),
//   R = fma(z6, R4, fma(z4, R3, fma(z, Lp1, z2 * R2))),
//   k * ln2_lo + c = fma(k, ln2_lo, c),
//   1.0 - 0.66666666666666666 * f = fma(-f, 0.66666666666666666, 1.0)  (|f| < 2^-20 branch),
// plus fused operations whose product is exact (k * ln2_hi, x * x * 0.5), which change nothing. Everything else
// (s, z, z2, z4, z6, hfsq, s * (hfsq + R) and the final sums) is computed unfused in both builds.
// https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/x86_64/fpu/multiarch/s_log1p-fma.c
import { FMA_SPLITTER, fmaFast, fmaSplit } from "./fma.ts";

const LOG1P_LN2_HI = 0.6931471803691238; // 0x3fe62e42fee00000 (32 significant bits: k * ln2_hi is exact)
const LOG1P_LN2_LO = 1.9082149292705877e-10; // 0x3dea39ef35793c76
const LOG1P_LP1 = 0.6666666666666735; // 0x3fe5555555555593
const LOG1P_LP2 = 0.3999999999940942; // 0x3fd999999997fa04
const LOG1P_LP3 = 0.2857142874366239; // 0x3fd2492494229359
const LOG1P_LP4 = 0.22222198432149784; // 0x3fcc71c51d8e78af
const LOG1P_LP5 = 0.1818357216161805; // 0x3fc7466496cb03de
const LOG1P_LP6 = 0.15313837699209373; // 0x3fc39a09d078c69f
const LOG1P_LP7 = 0.14798198605116586; // 0x3fc2f112df3e5244
const LOG1P_TWO3 = 0.6666666666666666; // 0.66666666666666666 in the source
const LOG1P_MARGIN = 8.881784197001252e-16; // 2^-50
const LOG1P_MARGIN_C = 4.440892098500626e-16; // 2^-51

/** High half (26 bits) of the Veltkamp split of c. */
function log1p_hi(c: number): number {
  const t = FMA_SPLITTER * c;
  return t - (t - c);
}

const LOG1P_LN2_LO_HI = log1p_hi(LOG1P_LN2_LO);
const LOG1P_LN2_LO_LO = LOG1P_LN2_LO - LOG1P_LN2_LO_HI;
const LOG1P_LP1_HI = log1p_hi(LOG1P_LP1);
const LOG1P_LP1_LO = LOG1P_LP1 - LOG1P_LP1_HI;
const LOG1P_LP3_HI = log1p_hi(LOG1P_LP3);
const LOG1P_LP3_LO = LOG1P_LP3 - LOG1P_LP3_HI;
const LOG1P_LP5_HI = log1p_hi(LOG1P_LP5);
const LOG1P_LP5_LO = LOG1P_LP5 - LOG1P_LP5_HI;
const LOG1P_LP7_HI = log1p_hi(LOG1P_LP7);
const LOG1P_LP7_LO = LOG1P_LP7 - LOG1P_LP7_HI;
const LOG1P_TWO3_HI = log1p_hi(LOG1P_TWO3);
const LOG1P_TWO3_LO = LOG1P_TWO3 - LOG1P_TWO3_HI;

const LOG1P_T1 = 0.4142136573791504; // high word 0x3fda827a: x < T1 <=> hx < 0x3fda827a (x >= 0)
const LOG1P_T2 = 0.2928934097290039; // high word 0x3fd2bec4: -T2 < x <=> hx <= 0xbfd2bec3 (x < 0)
const LOG1P_2M29 = 1.862645149230957e-9; // 2^-29
const LOG1P_2M54 = 5.551115123125783e-17; // 2^-54
const LOG1P_2P53 = 9007199254740992; // 2^53 (high word 0x43400000)

/** Scratch for the high 32 bits of a double (GET_HIGH_WORD / SET_HIGH_WORD). */
const LOG1P_F64 = new Float64Array(1);
const LOG1P_U32 = new Uint32Array(LOG1P_F64.buffer);
const LOG1P_HI = new Uint8Array(new Uint16Array([1]).buffer)[0]! === 1 ? 1 : 0;
/** k and hu (the high word of 1 + f, or 0 when |f| < 2^-20) from log1p_reduce. */
const LOG1P_K = new Int32Array(2);
/** c (the correction term) from log1p_reduce. */
const LOG1P_C = new Float64Array(1);

/** log1p(x) for x <= -1, +Inf and NaN: __log1p's -two54 / zero, (x - x) / (x - x), x + x. */
function log1p_special(x: number): number {
  if (x === -1) return -Infinity;
  return x === Infinity ? x : NaN;
}

/**
 * The k != 0 argument reduction of __log1p for -1 < x <= -0.2929 or 0.41422 <= x < Inf, the same in both builds (no
 * fusable operation): 1 + x = 2^k (1 + f) + c u. Returns f and sets LOG1P_K = [k, hu] and LOG1P_C = [c / u].
 */
function log1p_reduce(x: number): number {
  const u = x < LOG1P_2P53 ? 1.0 + x : x;
  LOG1P_F64[0] = u;
  const h = LOG1P_U32[LOG1P_HI]!;
  let k = (h >> 20) - 1023;
  LOG1P_C[0] = x < LOG1P_2P53 ? (k > 0 ? 1.0 - (u - x) : x - (u - 1.0)) / u : 0; // correction term
  let hu = h & 0x000fffff;
  if (hu < 0x6a09e) {
    LOG1P_U32[LOG1P_HI] = hu | 0x3ff00000; // normalize u
  } else {
    k += 1;
    LOG1P_U32[LOG1P_HI] = hu | 0x3fe00000; // normalize u/2
    hu = (0x00100000 - hu) >> 2;
  }
  LOG1P_K[0] = k;
  LOG1P_K[1] = hu;
  return LOG1P_F64[0]! - 1.0;
}

/** fma(k, ln2_lo, c) exactly: k is an integer of at most 11 bits, so k times either half of ln2_lo is exact. */
function log1p_klo(k: number, c: number): number {
  return fmaSplit(k, k, 0, LOG1P_LN2_LO, LOG1P_LN2_LO_HI, LOG1P_LN2_LO_LO, c);
}

/** The |f| < 2^-20 branch of __log1p_fma (k != 0 or f != 0 there). */
function log1p_smallFma(k: number, f: number, c: number): number {
  if (f === 0) return k === 0 ? 0 : k * LOG1P_LN2_HI + log1p_klo(k, c);
  const hfsq = 0.5 * f * f;
  // 1.0 - 0.66666666666666666 * f -> fma(-f, 0.666..., 1.0)
  const t = -f;
  const ts = FMA_SPLITTER * t;
  const th = ts - (ts - t);
  const R = hfsq * fmaSplit(t, th, t - th, LOG1P_TWO3, LOG1P_TWO3_HI, LOG1P_TWO3_LO, 1.0);
  if (k === 0) return f - R;
  return k * LOG1P_LN2_HI - ((R - log1p_klo(k, c)) - f);
}

/** R of __log1p_fma with every fused operation emulated exactly (2^-62 < z < 0.03). */
function log1p_rFma(z: number, z2: number, z4: number, z6: number): number {
  const zs = FMA_SPLITTER * z;
  const zh = zs - (zs - z);
  const zl = z - zh;
  const R2 = fmaSplit(z, zh, zl, LOG1P_LP3, LOG1P_LP3_HI, LOG1P_LP3_LO, LOG1P_LP2);
  const R3 = fmaSplit(z, zh, zl, LOG1P_LP5, LOG1P_LP5_HI, LOG1P_LP5_LO, LOG1P_LP4);
  const R4 = fmaSplit(z, zh, zl, LOG1P_LP7, LOG1P_LP7_HI, LOG1P_LP7_LO, LOG1P_LP6);
  const a1 = fmaSplit(z, zh, zl, LOG1P_LP1, LOG1P_LP1_HI, LOG1P_LP1_LO, z2 * R2);
  return fmaFast(z6, R4, fmaFast(z4, R3, a1));
}

/** The main branch of __log1p_fma (|f| >= 2^-20), see log1p. */
function log1p_tailFma(k: number, f: number, c: number): number {
  const hfsq = 0.5 * f * f;
  const s = f / (2.0 + f);
  const z = s * s;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const R = z * LOG1P_LP1 + z2 * (LOG1P_LP2 + z * LOG1P_LP3) + z4 * (LOG1P_LP4 + z * LOG1P_LP5) +
    z6 * (LOG1P_LP6 + z * LOG1P_LP7);
  const m = R * LOG1P_MARGIN;
  const rl = R - m;
  const rh = R + m;
  if (k === 0) {
    // c is ignored here by __log1p too (k = 0 after the reduction of x just below -0.2929)
    const a = f - (hfsq - s * (hfsq + rl));
    if (a === f - (hfsq - s * (hfsq + rh))) return a;
    return f - (hfsq - s * (hfsq + log1p_rFma(z, z2, z4, z6)));
  }
  // k * ln2_lo + c: fused C within 4 u (|p| + |c|) of the unfused one (three roundings of at most u |k ln2_lo + c|,
  // u |k ln2_lo| and u |p + c|); the result increases with C and with R when s > 0, decreases with R when s < 0
  const kh = k * LOG1P_LN2_HI;
  const p = k * LOG1P_LN2_LO;
  const cu = p + c;
  const mc = (Math.abs(p) + Math.abs(c)) * LOG1P_MARGIN_C;
  const r0 = s > 0 ? rl : rh;
  const r1 = s > 0 ? rh : rl;
  const a = kh - ((hfsq - (s * (hfsq + r0) + (cu - mc))) - f);
  if (a === kh - ((hfsq - (s * (hfsq + r1) + (cu + mc))) - f)) return a;
  return kh - ((hfsq - (s * (hfsq + log1p_rFma(z, z2, z4, z6)) + log1p_klo(k, c))) - f);
}

/** The main branch of __log1p_fma, every fused operation emulated exactly. */
function log1p_tailFmaExact(k: number, f: number, c: number): number {
  const hfsq = 0.5 * f * f;
  const s = f / (2.0 + f);
  const z = s * s;
  const z2 = z * z;
  const z4 = z2 * z2;
  const R = log1p_rFma(z, z2, z4, z4 * z2);
  if (k === 0) return f - (hfsq - s * (hfsq + R));
  return k * LOG1P_LN2_HI - ((hfsq - (s * (hfsq + R) + log1p_klo(k, c))) - f);
}

/** __log1p from the reduction on, unfused (SSE2 build). */
function log1p_tailNoFma(k: number, f: number, c: number, hu: number): number {
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2^-20
    if (f === 0) return k === 0 ? 0 : k * LOG1P_LN2_HI + (c + k * LOG1P_LN2_LO);
    const R0 = hfsq * (1.0 - LOG1P_TWO3 * f);
    if (k === 0) return f - R0;
    return k * LOG1P_LN2_HI - ((R0 - (k * LOG1P_LN2_LO + c)) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const R1 = z * LOG1P_LP1;
  const z2 = z * z;
  const R2 = LOG1P_LP2 + z * LOG1P_LP3;
  const z4 = z2 * z2;
  const R3 = LOG1P_LP4 + z * LOG1P_LP5;
  const z6 = z4 * z2;
  const R4 = LOG1P_LP6 + z * LOG1P_LP7;
  const R = R1 + z2 * R2 + z4 * R3 + z6 * R4;
  if (k === 0) return f - (hfsq - s * (hfsq + R));
  return k * LOG1P_LN2_HI - ((hfsq - (s * (hfsq + R) + (k * LOG1P_LN2_LO + c))) - f);
}

/**
 * glibc's log1p(x) as run on x86_64 CPUs with FMA and AVX2 (__log1p_fma), bit for bit.
 * https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/dbl-64/s_log1p.c
 *
 * R and k * ln2_lo + c are evaluated unfused first. Both builds
 * use the same z, z2, z4, z6, and each evaluation is within 4.1 u R (unfused) and 3.1 u R (fused) of the exact
 * polynomial in those (u = 2^-53: the roundings of R1 and the three sums are up to u R each, the rest below 0.04 u R
 * together because z < 0.03), so |R_fma - R| < 7.2 u R < m = 2^-50 R. The rest of the evaluation (Q = hfsq + R,
 * P = s * Q, the sums) is a composition of roundings, hence monotone in R: when R - m and R + m give the same result,
 * so does R_fma (RN(R - m) <= R_fma <= RN(R + m) because R_fma is a double). The same holds for k * ln2_lo + c, fused
 * within 4 u (|k ln2_lo| + |c|) of the unfused sum, with the corners of the two intervals chosen by the sign of s.
 * Otherwise (3.6% of the inputs in
 * (-0.29, 0.41), up to 6% for |f| near 0.3-0.4) R is recomputed with the fused operations emulated exactly. Measured
 * maximum of |R_fma - R| over 1e7 inputs: 2.0 u R.
 */
export function log1p(x: number): number {
  if (x > -LOG1P_T2 && x < LOG1P_T1) {
    // -0.2929 < x < 0.41422: k = 0, f = x
    const ax = Math.abs(x);
    if (ax < LOG1P_2M29) return ax < LOG1P_2M54 ? x : x - x * x * 0.5; // x * x * 0.5 is exact: fused or not
    return log1p_tailFma(0, x, 0);
  }
  if (!(x > -1 && x < Infinity)) return log1p_special(x);
  const f = log1p_reduce(x);
  if (LOG1P_K[1]! === 0) return log1p_smallFma(LOG1P_K[0]!, f, LOG1P_C[0]!); // |f| < 2^-20
  return log1p_tailFma(LOG1P_K[0]!, f, LOG1P_C[0]!);
}

/** Same results as `log1p` (glibc __log1p_fma), always through the exact emulation of every fused operation; slower. */
export function log1pFmaExact(x: number): number {
  if (x > -LOG1P_T2 && x < LOG1P_T1) {
    const ax = Math.abs(x);
    if (ax < LOG1P_2M29) return ax < LOG1P_2M54 ? x : x - x * x * 0.5;
    return log1p_tailFmaExact(0, x, 0);
  }
  if (!(x > -1 && x < Infinity)) return log1p_special(x);
  const f = log1p_reduce(x);
  if (LOG1P_K[1]! === 0) return log1p_smallFma(LOG1P_K[0]!, f, LOG1P_C[0]!);
  return log1p_tailFmaExact(LOG1P_K[0]!, f, LOG1P_C[0]!);
}

/**
 * glibc's log1p(x) on x86_64 CPUs without FMA/AVX2 (the SSE2 build, no contraction), bit for bit.
 * https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/dbl-64/s_log1p.c
 */
export function log1pNoFma(x: number): number {
  if (x > -LOG1P_T2 && x < LOG1P_T1) {
    const ax = Math.abs(x);
    if (ax < LOG1P_2M29) return ax < LOG1P_2M54 ? x : x - x * x * 0.5;
    return log1p_tailNoFma(0, x, 0, 1);
  }
  if (!(x > -1 && x < Infinity)) return log1p_special(x);
  const f = log1p_reduce(x);
  return log1p_tailNoFma(LOG1P_K[0]!, f, LOG1P_C[0]!, LOG1P_K[1]!);
}
