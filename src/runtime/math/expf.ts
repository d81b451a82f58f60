// Bit-exact glibc 2.36 expf(x) for x86_64: `expf` reproduces the FMA+AVX2 ifunc variant (__expf_fma), `expfNoFma` the SSE2 one.
//
// Algorithm (ARM optimized-routines, in glibc since 2.27): expf(x) = 2^(k/32) * 2^(r/32), evaluated in double with a
// 32-entry table of 2^(i/32) and a cubic polynomial, then rounded to float once.
// https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/flt-32/e_expf.c
// The FMA variant is the same C compiled with -mfma -mavx2 (disassembled from this machine's libm, __expf_fma):
// kd = fma(InvLn2N, xd, Shift), r = fma(InvLn2N, xd, -kd), and the three polynomial steps are fused.
// https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/x86_64/fpu/multiarch/e_expf-fma.c
// Over all 2^32 inputs the two variants differ on exactly 2 (0x4202422f, 0xc27c65d9), both through kd/r. `expf`
// emulates the fused kd and r exactly and evaluates the polynomial unfused: the fused polynomial never changes the
// float result (checked over all 2^32 inputs against this machine's libm: test/math/exhaustive.ts).
import { FMA_SPLITTER } from "./fma.ts";

// https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/flt-32/e_exp2f_data.c
const EXPF_INVLN2N = 46.16624130844683; // 0x1.71547652b82fep+0 * N, N = 32
const EXPF_SHIFT = 6755399441055744; // 0x1.8p+52
const EXPF_C0 = 1.6938359250920212e-6; // 0x1.c6af84b912394p-5 / N / N / N
const EXPF_C1 = 0.00023459809789509004; // 0x1.ebfce50fac4f3p-3 / N / N
const EXPF_C2 = 0.021660849396613134; // 0x1.62e42ff0c52d6p-1 / N
const EXPF_OFLOW = 88.72283172607422; // 0x1.62e42ep6f
const EXPF_UFLOW = -103.97207641601562; // -0x1.9fe368p6f
const EXPF_MAY_UFLOW = -103.27892303466797; // -0x1.9d1d9ep6f
const EXPF_MIN_SUBNORMAL = 1.401298464324817e-45; // __math_may_uflowf(0) = 0x1.4p-75f * 0x1.4p-75f = 0x1p-149f

/** asdouble(tab[i] + (i << 47)) of e_exp2f_data.c: 2^(i/32). */
const EXPF_TAB = Float64Array.of(
  1, 1.0218971486541166, 1.0442737824274138,
  1.0671404006768237, 1.0905077326652577, 1.1143867425958924,
  1.1387886347566916, 1.1637248587775775, 1.189207115002721,
  1.215247359980469, 1.241857812073484, 1.2690509571917332,
  1.2968395546510096, 1.3252366431597413, 1.3542555469368927,
  1.383909881963832, 1.4142135623730951, 1.4451808069770467,
  1.4768261459394993, 1.5091644275934228, 1.5422108254079407,
  1.5759808451078865, 1.6104903319492543, 1.645755478153965,
  1.681792830507429, 1.718619298122478, 1.7562521603732995,
  1.7947090750031072, 1.8340080864093424, 1.8741676341103,
  1.9152065613971474, 1.9571441241754002
);

const EXPF_INVLN2N_HI = (FMA_SPLITTER * EXPF_INVLN2N) - (FMA_SPLITTER * EXPF_INVLN2N - EXPF_INVLN2N);
const EXPF_INVLN2N_LO = EXPF_INVLN2N - EXPF_INVLN2N_HI;

/** EXPF_POW2[m + 160] = 2^m for -160 <= m <= 140. */
const EXPF_POW2 = expf_pow2Table();

function expf_pow2Table(): Float64Array {
  const t = new Float64Array(301);
  let v = 1;
  for (let m = 0; m <= 140; m++, v *= 2) t[m + 160] = v;
  v = 1;
  for (let m = 0; m >= -160; m--, v /= 2) t[m + 160] = v;
  return t;
}

/**
 * glibc's expf(x) as run on x86_64 CPUs with FMA and AVX2 (__expf_fma), bit for bit. x must be a float32 value.
 * https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/flt-32/e_expf.c
 */
export function expf(x: number): number {
  if (!(Math.abs(x) < 88)) {
    // |x| >= 88 or NaN
    if (x === -Infinity) return 0;
    if (x !== x || x === Infinity) return x + x;
    if (x > EXPF_OFLOW) return Infinity; // __math_oflowf(0)
    if (x < EXPF_UFLOW) return 0; // __math_uflowf(0)
    if (x < EXPF_MAY_UFLOW) return EXPF_MIN_SUBNORMAL; // __math_may_uflowf(0) (WANT_ERRNO_UFLOW)
  }
  // z = InvLn2N * x exactly as hi + lo (x has 24 bits, each half of InvLn2N at most 26); the fused code rounds
  // kd = fma(InvLn2N, xd, Shift) - Shift and r = fma(InvLn2N, xd, -kd) once each. hi - kd is exact for |x| < 104.
  const hi = x * EXPF_INVLN2N_HI;
  const lo = x * EXPF_INVLN2N_LO;
  // Rounding the rounded product to an integer gives the same kd: over all float32 x in range the exact x * InvLn2N
  // stays at least 2^-32 away from a half-integer (scanned), far more than the product's rounding error (< 2^-41).
  const kd = hi + lo + EXPF_SHIFT - EXPF_SHIFT;
  const r = hi - kd + lo;
  const idx = kd & 31;
  const s = EXPF_TAB[idx]! * EXPF_POW2[(kd - idx) / 32 + 160]!; // exact: s = asdouble(T[ki % N] + (ki << 47))
  const r2 = r * r;
  // z = C0 * r + C1; y = C2 * r + 1; y = z * r2 + y; y = y * s (fused in __expf_fma; see the header comment)
  return Math.fround(((EXPF_C0 * r + EXPF_C1) * r2 + (EXPF_C2 * r + 1)) * s);
}

/**
 * glibc's expf(x) on x86_64 CPUs without FMA/AVX2 (the SSE2 build, no contraction), bit for bit. x must be a float32 value.
 * https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/flt-32/e_expf.c
 */
export function expfNoFma(x: number): number {
  if (!(Math.abs(x) < 88)) {
    // |x| >= 88 or NaN
    if (x === -Infinity) return 0;
    if (x !== x || x === Infinity) return x + x;
    if (x > EXPF_OFLOW) return Infinity; // __math_oflowf(0)
    if (x < EXPF_UFLOW) return 0; // __math_uflowf(0)
    if (x < EXPF_MAY_UFLOW) return EXPF_MIN_SUBNORMAL; // __math_may_uflowf(0) (WANT_ERRNO_UFLOW)
  }
  const z = EXPF_INVLN2N * x;
  const kd = z + EXPF_SHIFT - EXPF_SHIFT;
  const r = z - kd;
  const idx = kd & 31;
  const s = EXPF_TAB[idx]! * EXPF_POW2[(kd - idx) / 32 + 160]!;
  const r2 = r * r;
  return Math.fround(((EXPF_C0 * r + EXPF_C1) * r2 + (EXPF_C2 * r + 1)) * s);
}
