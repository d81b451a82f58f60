// AssemblyScript port of src/runtime/math/log1p.ts: glibc 2.36 log1p (the FMA+AVX2 variant __log1p_fma), bit for bit.
// This is the TypeScript `log1pFmaExact` (same results as its `log1p`): every fused operation emulated exactly, no
// shortcut. The high-word manipulations of the reduction are done on the bits of the double, as in glibc's C.
// requires: fma.as

const LOG1P_LN2_HI: f64 = 0.6931471803691238;
const LOG1P_LN2_LO: f64 = 1.9082149292705877e-10;
const LOG1P_LP1: f64 = 0.6666666666666735;
const LOG1P_LP2: f64 = 0.3999999999940942;
const LOG1P_LP3: f64 = 0.2857142874366239;
const LOG1P_LP4: f64 = 0.22222198432149784;
const LOG1P_LP5: f64 = 0.1818357216161805;
const LOG1P_LP6: f64 = 0.15313837699209373;
const LOG1P_LP7: f64 = 0.14798198605116586;
const LOG1P_TWO3: f64 = 0.6666666666666666;
const LOG1P_T1: f64 = 0.4142136573791504;
const LOG1P_T2: f64 = 0.2928934097290039;
const LOG1P_2M29: f64 = 1.862645149230957e-9;
const LOG1P_2M54: f64 = 5.551115123125783e-17;
const LOG1P_2P53: f64 = 9007199254740992.0;

function log1p_special(x: f64): f64 {
  if (x == -1.0) return -Infinity;
  return x == Infinity ? x : NaN;
}

/** fma(k, ln2_lo, c) exactly (k an integer of at most 11 bits). */
function log1p_klo(k: f64, c: f64): f64 {
  const h = fmaHi(LOG1P_LN2_LO);
  return fmaSplit(k, k, 0.0, LOG1P_LN2_LO, h, LOG1P_LN2_LO - h, c);
}

function log1p_smallFma(k: f64, f: f64, c: f64): f64 {
  if (f == 0.0) return k == 0.0 ? 0.0 : k * LOG1P_LN2_HI + log1p_klo(k, c);
  const hfsq = 0.5 * f * f;
  const t = -f;
  const ts = FMA_SPLITTER * t;
  const th = ts - (ts - t);
  const h = fmaHi(LOG1P_TWO3);
  const R = hfsq * fmaSplit(t, th, t - th, LOG1P_TWO3, h, LOG1P_TWO3 - h, 1.0);
  if (k == 0.0) return f - R;
  return k * LOG1P_LN2_HI - ((R - log1p_klo(k, c)) - f);
}

function log1p_rFma(z: f64, z2: f64, z4: f64, z6: f64): f64 {
  const zs = FMA_SPLITTER * z;
  const zh = zs - (zs - z);
  const zl = z - zh;
  const h3 = fmaHi(LOG1P_LP3);
  const h5 = fmaHi(LOG1P_LP5);
  const h7 = fmaHi(LOG1P_LP7);
  const h1 = fmaHi(LOG1P_LP1);
  const R2 = fmaSplit(z, zh, zl, LOG1P_LP3, h3, LOG1P_LP3 - h3, LOG1P_LP2);
  const R3 = fmaSplit(z, zh, zl, LOG1P_LP5, h5, LOG1P_LP5 - h5, LOG1P_LP4);
  const R4 = fmaSplit(z, zh, zl, LOG1P_LP7, h7, LOG1P_LP7 - h7, LOG1P_LP6);
  const a1 = fmaSplit(z, zh, zl, LOG1P_LP1, h1, LOG1P_LP1 - h1, z2 * R2);
  return fmaFast(z6, R4, fmaFast(z4, R3, a1));
}

function log1p_tailFmaExact(k: f64, f: f64, c: f64): f64 {
  const hfsq = 0.5 * f * f;
  const s = f / (2.0 + f);
  const z = s * s;
  const z2 = z * z;
  const z4 = z2 * z2;
  const R = log1p_rFma(z, z2, z4, z4 * z2);
  if (k == 0.0) return f - (hfsq - s * (hfsq + R));
  return k * LOG1P_LN2_HI - ((hfsq - (s * (hfsq + R) + log1p_klo(k, c))) - f);
}

/** glibc's log1p(x) (__log1p_fma), bit for bit. */
function log1p(x: f64): f64 {
  if (x > -LOG1P_T2 && x < LOG1P_T1) {
    const ax = abs<f64>(x);
    if (ax < LOG1P_2M29) return ax < LOG1P_2M54 ? x : x - x * x * 0.5;
    return log1p_tailFmaExact(0.0, x, 0.0);
  }
  if (!(x > -1.0 && x < Infinity)) return log1p_special(x);
  // 1 + x = 2^k (1 + f) + c u, with the high word of u normalized
  const u = x < LOG1P_2P53 ? 1.0 + x : x;
  const bits = reinterpret<u64>(u);
  const h = <i32>(bits >> 32);
  let k = (h >> 20) - 1023;
  const c = x < LOG1P_2P53 ? (k > 0 ? 1.0 - (u - x) : x - (u - 1.0)) / u : 0.0;
  let hu = h & 0x000fffff;
  let hw: i32;
  if (hu < 0x6a09e) {
    hw = hu | 0x3ff00000;
  } else {
    k += 1;
    hw = hu | 0x3fe00000;
    hu = (0x00100000 - hu) >> 2;
  }
  const f = reinterpret<f64>((<u64><u32>hw << 32) | (bits & 0xffffffff)) - 1.0;
  if (hu == 0) return log1p_smallFma(<f64>k, f, c);
  return log1p_tailFmaExact(<f64>k, f, c);
}
