// Helpers of kernel models (libsvm SVC/SVR/one-class): src/runtime/kernelPowi.ts, and the tanh of the sigmoid kernel
// as the JS path computes it: Math.tanh in V8 (Node 20, V8 11.x) is fdlibm's tanh over fdlibm's expm1
// (v8/src/base/ieee754.cc), ported here operation for operation. Newer V8 releases call the C library's tanh
// instead, so in those engines the JS module may differ from this (and from the .wasm) by an ulp on sigmoid kernels.

/** libsvm's powi: base^times by square and multiply. */
function kernelPowi(base: f64, times: i32): f64 {
  let tmp = base;
  let ret = 1.0;
  for (let t = times; t > 0; t = t / 2) {
    if (t % 2 == 1) ret *= tmp;
    tmp = tmp * tmp;
  }
  return ret;
}

function fdlibm_words(hi: u32, lo: u32): f64 {
  return reinterpret<f64>((<u64>hi << 32) | <u64>lo);
}

/** fdlibm expm1 (v8 base::ieee754::expm1). */
function fdlibmExpm1(x: f64): f64 {
  const o_threshold: f64 = 7.09782712893383973096e+02;
  const ln2_hi: f64 = 6.93147180369123816490e-01;
  const ln2_lo: f64 = 1.90821492927058770002e-10;
  const invln2: f64 = 1.44269504088896338700e+00;
  const Q1: f64 = -3.33333333333331316428e-02;
  const Q2: f64 = 1.58730158725481460165e-03;
  const Q3: f64 = -7.93650757867487942473e-05;
  const Q4: f64 = 4.00821782732936239552e-06;
  const Q5: f64 = -2.01099218183624371326e-07;
  let y: f64, hi: f64, lo: f64, t: f64, e: f64;
  let c: f64 = 0.0;
  let k: i32;
  let hx = <u32>(reinterpret<u64>(x) >> 32);
  const xsb = hx & 0x80000000;
  hx &= 0x7fffffff;
  if (hx >= 0x4043687a) {
    if (hx >= 0x40862e42) {
      if (hx >= 0x7ff00000) {
        const low = <u32>reinterpret<u64>(x);
        if (((hx & 0xfffff) | low) != 0) return x + x;
        return xsb == 0 ? x : -1.0;
      }
      if (x > o_threshold) return Infinity;
    }
    if (xsb != 0) {
      if (x + 1.0e-300 < 0.0) return 1.0e-300 - 1.0;
    }
  }
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      if (xsb == 0) {
        hi = x - ln2_hi;
        lo = ln2_lo;
        k = 1;
      } else {
        hi = x + ln2_hi;
        lo = -ln2_lo;
        k = -1;
      }
    } else {
      k = <i32>(invln2 * x + (xsb == 0 ? 0.5 : -0.5));
      t = <f64>k;
      hi = x - t * ln2_hi;
      lo = t * ln2_lo;
    }
    x = hi - lo;
    c = (hi - x) - lo;
  } else if (hx < 0x3c900000) {
    t = 1.0e300 + x;
    return x - (t - (1.0e300 + x));
  } else {
    k = 0;
  }
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1.0 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  t = 3.0 - r1 * hfx;
  e = hxs * ((r1 - t) / (6.0 - x * t));
  if (k == 0) return x - (x * e - hxs);
  const twopk = fdlibm_words(<u32>(0x3ff00000 + (k << 20)), 0);
  e = x * (e - c) - c;
  e -= hxs;
  if (k == -1) return 0.5 * (x - e) - 0.5;
  if (k == 1) {
    if (x < -0.25) return -2.0 * (e - (x + 0.5));
    return 1.0 + 2.0 * (x - e);
  }
  if (k <= -2 || k > 56) {
    y = 1.0 - (e - x);
    if (k == 1024) y = y * 2.0 * 8.98846567431158e+307;
    else y = y * twopk;
    return y - 1.0;
  }
  if (k < 20) {
    t = fdlibm_words(<u32>(0x3ff00000 - (0x200000 >> k)), 0);
    y = t - (e - x);
    y = y * twopk;
  } else {
    t = fdlibm_words(<u32>((0x3ff - k) << 20), 0);
    y = x - (e + t);
    y += 1.0;
    y = y * twopk;
  }
  return y;
}

/** fdlibm tanh (v8 base::ieee754::tanh in V8 11.x: Math.tanh in Node 20). */
function fdlibmTanh(x: f64): f64 {
  const jx = <i32>(reinterpret<u64>(x) >> 32);
  const ix = jx & 0x7fffffff;
  if (ix >= 0x7ff00000) return jx >= 0 ? 1.0 / x + 1.0 : 1.0 / x - 1.0;
  let t: f64, z: f64;
  if (ix < 0x40360000) {
    if (ix < 0x3e300000) {
      if (1.0e300 + x > 1.0) return x;
    }
    if (ix >= 0x3ff00000) {
      t = fdlibmExpm1(2.0 * abs<f64>(x));
      z = 1.0 - 2.0 / (t + 2.0);
    } else {
      t = fdlibmExpm1(-2.0 * abs<f64>(x));
      z = -t / (t + 2.0);
    }
  } else {
    z = 1.0 - 1.0e-300;
  }
  return jx >= 0 ? z : -z;
}
