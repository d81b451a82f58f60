// AssemblyScript port of src/runtime/math/expf.ts: glibc 2.36 expf (the FMA+AVX2 variant __expf_fma), bit for bit.
// Same algorithm and operations as the TypeScript source (which documents it); values are f64 holding float32 values,
// Math.fround is <f64><f32>, table index and 2^m come from the integer kd.
// requires: fma.as

const EXPF_INVLN2N: f64 = 46.16624130844683;
const EXPF_SHIFT: f64 = 6755399441055744.0;
const EXPF_C0: f64 = 1.6938359250920212e-6;
const EXPF_C1: f64 = 0.00023459809789509004;
const EXPF_C2: f64 = 0.021660849396613134;
const EXPF_OFLOW: f64 = 88.72283172607422;
const EXPF_UFLOW: f64 = -103.97207641601562;
const EXPF_MAY_UFLOW: f64 = -103.27892303466797;
const EXPF_MIN_SUBNORMAL: f64 = 1.401298464324817e-45;
const EXPF_UP: f64 = 1.0000000000009095;
const EXPF_DOWN: f64 = 0.9999999999990905;

const EXPF_TAB = memory.data<f64>([
  1.0, 1.0218971486541166, 1.0442737824274138,
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
], 8);

/** 2^m for a normal exponent m. */
function expf_pow2(m: i32): f64 {
  return reinterpret<f64>(<u64>(m + 1023) << 52);
}

/** glibc's expf on float32 x (as f64), __expf_fma, result a float32 value as f64. */
function expf(x: f64): f64 {
  if (!(abs<f64>(x) < 88.0)) {
    if (x == -Infinity) return 0.0;
    if (x != x || x == Infinity) return x + x;
    if (x > EXPF_OFLOW) return Infinity;
    if (x < EXPF_UFLOW) return 0.0;
    if (x < EXPF_MAY_UFLOW) return EXPF_MIN_SUBNORMAL;
  }
  const invHi = fmaHi(EXPF_INVLN2N);
  const invLo = EXPF_INVLN2N - invHi;
  const hi = x * invHi;
  const lo = x * invLo;
  let kd = hi + lo + EXPF_SHIFT - EXPF_SHIFT;
  let r = hi - kd + lo;
  if (!(abs<f64>(r) < 0.5)) {
    const d = hi - kd;
    const b = r - d;
    const e = d - (r - b) + (lo - b);
    const odd = (<i32>kd & 1) != 0;
    if (r > 0.5 || (r == 0.5 && (e > 0.0 || (e == 0.0 && odd)))) kd += 1.0;
    else if (r < -0.5 || (r == -0.5 && (e < 0.0 || (e == 0.0 && odd)))) kd -= 1.0;
    r = hi - kd + lo;
  }
  const ki = <i32>kd;
  const idx = ki & 31;
  const s = load<f64>(EXPF_TAB + (<usize>idx << 3)) * expf_pow2((ki - idx) >> 5);
  const r2 = r * r;
  const y = ((EXPF_C0 * r + EXPF_C1) * r2 + (EXPF_C2 * r + 1.0)) * s;
  const f = <f64><f32>(y * EXPF_UP);
  if (f == <f64><f32>(y * EXPF_DOWN)) return f;
  return <f64><f32>(fmaFast(fmaFast(r, EXPF_C0, EXPF_C1), r2, fmaFast(r, EXPF_C2, 1.0)) * s);
}
