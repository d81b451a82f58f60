// Correctly rounded float64 fused multiply-add (C99 fma) in plain JS, used to reproduce glibc's FMA-compiled exp/log bit for bit.
//
// glibc on x86_64 with FMA+AVX2 runs __exp_fma/__log_fma/__expf_fma/__logf_fma: the generic C sources built with
// -mfma -mavx2, where GCC contracts `a * b + c` into one vfmadd (single rounding). See
// https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/x86_64/fpu/multiarch/ifunc-fma.h (selection) and
// https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/x86_64/fpu/multiarch/Makefile (CFLAGS-e_exp-fma.c = -mfma -mavx2).
//
// Method: Veltkamp split + Dekker product give a*b = p + pe exactly; 2Sum gives p + c = s + se exactly; the three-term
// sum s + (se + pe) is then rounded once, resolving the only double-rounding case (an exact tie) explicitly.

/** 2^27 + 1, the Veltkamp splitting constant for float64. */
export const FMA_SPLITTER = 134217729;

const FMA_P_MIN = 4.008336720017946e-292; // 2^-968: below this the product error may not be representable
const FMA_P_MAX = 1.1235582092889474e307; // 2^1020: above this s = p + c or 2 * tt may overflow
const FMA_AB_MAX = 3.3484643974570854e299; // 2^995: Veltkamp split overflows above this
const FMA_AB_MIN = 9.332636185032189e-302; // 2^-1000: the split of a subnormal operand is not exact
const FMA_2P1000 = 1.0715086071862673e301; // 2^1000
const FMA_2M1000 = 9.332636185032189e-302; // 2^-1000

/**
 * Round p + pe + c once, to nearest even, where p + pe is an exact product (p = RN(p + pe)) and nothing overflows.
 * This is the core of every emulated fma below.
 */
export function fmaAddExact(p: number, pe: number, c: number): number {
  const s = p + c;
  const sb = s - p;
  const se = (p - (s - sb)) + (c - sb); // p + c = s + se exactly (2Sum)
  const t = se + pe; // its rounding error te is tiny: it only matters when s + t is an exact tie
  const r = s + t;
  // s + t = r + tt exactly. Fast2Sum is exact unless |t| > |s|, which needs massive cancellation in p + c, where the
  // subtraction is exact (se = 0), so t = pe exactly, te = 0, and r is already correct.
  const tt = t - (r - s);
  if (tt !== 0 && r + 2 * tt - r === 2 * tt) return fmaTie(r, tt, se, pe);
  return r;
}

/**
 * s + t (= r + tt exactly) was exactly halfway between r and u = r + 2 tt, where t = RN(se + pe): the rounding error
 * of t decides which neighbour the exact sum s + se + pe rounds to.
 */
export function fmaTie(r: number, tt: number, se: number, pe: number): number {
  const t = se + pe;
  const tb = t - se;
  const te = (se - (t - tb)) + (pe - tb);
  return te !== 0 && te > 0 === tt > 0 ? r + 2 * tt : r;
}

/**
 * fma(a, b, c) when both halves of each factor are already known (ah + al = a, bh + bl = b, each half at most 26
 * significant bits; a factor of at most 26 bits may pass al = 0). Same range preconditions as fmaFast.
 */
export function fmaSplit(a: number, ah: number, al: number, b: number, bh: number, bl: number, c: number): number {
  const p = a * b;
  return fmaAddExact(p, ah * bh - p + ah * bl + al * bh + al * bl, c);
}

/**
 * fma(a, b, c) for operands in a safe range: 2^-1000 < |a|, |b| < 2^995, 2^-968 < |a*b| < 2^1020, |c| < 2^1020.
 * Use `fma` when that is not known.
 */
export function fmaFast(a: number, b: number, c: number): number {
  const p = a * b;
  let t = FMA_SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = FMA_SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return fmaAddExact(p, ah * bh - p + ah * bl + al * bh + al * bl, c);
}

/** C99 fma(a, b, c): a * b + c with a single rounding to nearest even, for all float64 inputs. */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  const ap = Math.abs(p);
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  if (
    ap > FMA_P_MIN && ap < FMA_P_MAX && aa < FMA_AB_MAX && ab < FMA_AB_MAX &&
    aa > FMA_AB_MIN && ab > FMA_AB_MIN && Math.abs(c) < FMA_P_MAX
  ) {
    return fmaFast(a, b, c);
  }
  if (a !== a || b !== b || c !== c) return a + b + c; // NaN
  if (aa === Infinity || ab === Infinity || a === 0 || b === 0) return p + c; // a*b is exact
  if (c === Infinity || c === -Infinity) return c; // finite a*b cannot cancel an infinite c
  return fma_exact(a, b, c);
}

// ---- exact slow path (huge, tiny or subnormal operands): exact integer arithmetic ----

const FMA_DV = new DataView(new ArrayBuffer(8));

/** x = m * 2^e exactly, m a signed integer (x finite). */
function fma_mant(x: number): bigint {
  FMA_DV.setFloat64(0, x);
  const hi = FMA_DV.getUint32(0);
  const lo = FMA_DV.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let m = BigInt((hi & 0xfffff) * 4294967296 + lo);
  if (bexp !== 0) m += BigInt(4503599627370496); // implicit bit 2^52
  return hi >>> 31 ? -m : m;
}

function fma_expo(x: number): number {
  FMA_DV.setFloat64(0, x);
  const bexp = (FMA_DV.getUint32(0) >>> 20) & 0x7ff;
  return (bexp === 0 ? 1 : bexp) - 1075;
}

/** y * 2^k for an integer y whose scaled value is exactly representable (or overflows). */
function fma_ldexp(y: number, k: number): number {
  while (k > 1000) {
    y *= FMA_2P1000;
    k -= 1000;
  }
  while (k < -1000) {
    y *= FMA_2M1000;
    k += 1000;
  }
  const h = k >> 1; // 2^k for |k| <= 1000 as two exact normal factors
  return y * fma_pow2(h) * fma_pow2(k - h);
}

/** 2^k for an integer -1022 <= k <= 1023, built from its bit pattern. */
function fma_pow2(k: number): number {
  FMA_DV.setUint32(0, (k + 1023) << 20);
  FMA_DV.setUint32(4, 0);
  return FMA_DV.getFloat64(0);
}

function fma_exact(a: number, b: number, c: number): number {
  let m = fma_mant(a) * fma_mant(b);
  let e = fma_expo(a) + fma_expo(b);
  if (c !== 0) {
    let mc = fma_mant(c);
    const ec = fma_expo(c);
    if (ec < e) {
      m <<= BigInt(e - ec);
      e = ec;
    } else {
      mc <<= BigInt(ec - e);
    }
    m += mc;
  }
  const zero = BigInt(0);
  if (m === zero) return 0; // exact cancellation: +0 in round-to-nearest
  const neg = m < zero;
  if (neg) m = -m;
  const n = m.toString(2).length;
  const top = n - 1 + e; // value in [2^top, 2^(top+1))
  const shift = top >= -1022 ? n - 53 : -1074 - e;
  if (shift > 0) {
    const bs = BigInt(shift);
    const one = BigInt(1);
    let q = m >> bs;
    const rem = m - (q << bs);
    const half = one << BigInt(shift - 1);
    if (rem > half || (rem === half && (q & one) === one)) q += one;
    m = q;
    e += shift;
  }
  const y = fma_ldexp(Number(m), e);
  return neg ? -y : y;
}
