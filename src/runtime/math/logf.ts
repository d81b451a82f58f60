// Bit-exact glibc 2.36 logf(x) for x86_64 (both the FMA+AVX2 ifunc variant __logf_fma and the SSE2 one).
//
// Algorithm (ARM optimized-routines, in glibc since 2.27): x = 2^k z, logf(x) = k ln2 + log(c) + log1p(z/c - 1) with a
// 16-entry table of (1/c, log c) and a cubic polynomial, evaluated in double and rounded to float once.
// https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/flt-32/e_logf.c
// The FMA build (https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/x86_64/fpu/multiarch/e_logf-fma.c)
// fuses r = z * invc - 1, y0 = logc + k * Ln2 and the polynomial, but over all 2^32 inputs its results are identical to
// the unfused SSE2 build on this machine, so the plain double evaluation below reproduces both.
//
// https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/flt-32/e_logf_data.c
const LOGF_LN2 = 0.6931471805599453; // 0x1.62e42fefa39efp-1
const LOGF_A0 = -0.25089342214237154; // -0x1.00ea348b88334p-2
const LOGF_A1 = 0.333456765744066; // 0x1.5575b0be00b6ap-2
const LOGF_A2 = -0.4999997485802103; // -0x1.ffffef20a4123p-2
const LOGF_2P23 = 8388608; // 0x1p23f

/** tab[i].invc of e_logf_data.c. */
const LOGF_INVC = Float64Array.of(
  1.398907162146528, 1.3403141896637998, 1.286432210124115,
  1.2367150214269895, 1.1906977166711752, 1.1479821020556429,
  1.1082251448272158, 1.0711297413057381, 1.036437278977283,
  1, 0.9492859795739057, 0.8951049428609004,
  0.8476821620351103, 0.8050314851692001, 0.7664671008843108,
  0.731428603316328
);

/** tab[i].logc of e_logf_data.c. */
const LOGF_LOGC = Float64Array.of(
  -0.33569133332882284, -0.2929040563774074, -0.2518726580937369,
  -0.21245868807117255, -0.17453945183745634, -0.1380057072319758,
  -0.10275976698545139, -0.06871392447020525, -0.0357891387398228,
  0, 0.05204517742929496, 0.11081431298787942,
  0.1652495223695143, 0.21687389031699977, 0.2659635028121397,
  0.3127556664073557
);

/** Scratch for the float32 bit pattern of x. */
const LOGF_F32 = new Float32Array(1);
const LOGF_U32 = new Uint32Array(LOGF_F32.buffer);

/**
 * glibc's logf(x) on x86_64 (FMA and non-FMA builds agree), bit for bit. x must be a float32 value.
 * https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/flt-32/e_logf.c
 */
export function logf(x: number): number {
  LOGF_F32[0] = x;
  let ix = LOGF_U32[0]!;
  if (ix === 0x3f800000) return 0; // fix sign of zero with downward rounding when x == 1
  if (ix - 0x00800000 >= 0x7f000000 || ix < 0x00800000) {
    // x < 0x1p-126 or inf or nan
    if (x === 0) return -Infinity; // __math_divzerof(1)
    if (x === Infinity) return x;
    if (!(x > 0)) return NaN; // __math_invalidf(x)
    // x is subnormal, normalize it
    LOGF_F32[0] = x * LOGF_2P23;
    ix = LOGF_U32[0]! - (23 << 23);
  }
  // x = 2^k z with z in [OFF, 2*OFF] and exact; the ith subinterval contains z and c is near its center
  const tmp = (ix - 0x3f330000) | 0;
  const i = (tmp >>> 19) & 15;
  const k = tmp >> 23;
  LOGF_U32[0] = ix - (tmp & 0xff800000);
  const z = LOGF_F32[0]!;
  // log(x) = log1p(z/c-1) + log(c) + k*Ln2
  const r = z * LOGF_INVC[i]! - 1;
  const y0 = LOGF_LOGC[i]! + k * LOGF_LN2;
  const r2 = r * r;
  let y = LOGF_A1 * r + LOGF_A2;
  y = LOGF_A0 * r2 + y;
  y = y * r2 + (y0 + r);
  return Math.fround(y);
}
