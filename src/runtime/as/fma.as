// AssemblyScript port of src/runtime/math/fma.ts (the fast paths used by the exact exp/expf ports): a correctly
// rounded float64 fma for operands in a safe range, by Veltkamp split + Dekker product + 2Sum. WebAssembly has no
// scalar fma instruction, so the same emulation as in JavaScript is needed; every operation below is an IEEE double
// operation, exactly as in the TypeScript source.

const FMA_SPLITTER: f64 = 134217729.0; // 2^27 + 1

function fmaTie(r: f64, tt: f64, se: f64, pe: f64): f64 {
  const t = se + pe;
  const tb = t - se;
  const te = (se - (t - tb)) + (pe - tb);
  return te != 0.0 && (te > 0.0) == (tt > 0.0) ? r + 2.0 * tt : r;
}

function fmaAddExact(p: f64, pe: f64, c: f64): f64 {
  const s = p + c;
  const sb = s - p;
  const se = (p - (s - sb)) + (c - sb);
  const t = se + pe;
  const r = s + t;
  const tt = t - (r - s);
  if (tt != 0.0 && r + 2.0 * tt - r == 2.0 * tt) return fmaTie(r, tt, se, pe);
  return r;
}

function fmaAddExactDom(p: f64, pe: f64, c: f64): f64 {
  const s = c + p;
  const se = p - (s - c);
  const t = se + pe;
  const r = s + t;
  const tt = t - (r - s);
  if (tt != 0.0 && r + 2.0 * tt - r == 2.0 * tt) return fmaTie(r, tt, se, pe);
  return r;
}

function fmaSplit(a: f64, ah: f64, al: f64, b: f64, bh: f64, bl: f64, c: f64): f64 {
  const p = a * b;
  return fmaAddExact(p, ah * bh - p + ah * bl + al * bh + al * bl, c);
}

function fmaHi(c: f64): f64 {
  const t = FMA_SPLITTER * c;
  return t - (t - c);
}

function fmaFast(a: f64, b: f64, c: f64): f64 {
  const p = a * b;
  let t = FMA_SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = FMA_SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return fmaAddExact(p, ah * bh - p + ah * bl + al * bh + al * bl, c);
}
