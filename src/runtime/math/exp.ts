// Bit-exact glibc 2.36 exp(x) for x86_64: `exp` reproduces the FMA+AVX2 ifunc variant (__exp_fma), `expNoFma` the SSE2 one.
//
// Algorithm (ARM optimized-routines, in glibc since 2.28): exp(x) = 2^(k/128) * exp(r), r = x - k*ln2/128, with a
// 128-entry table of 2^(i/128) split as scale*(1 + tail) and a degree-5 polynomial.
// https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/dbl-64/e_exp.c
// The FMA variant is the same C compiled with -mfma -mavx2; the fused operations below follow GCC's contractions as
// disassembled from this machine's libm (__ieee754_exp_fma; ifunc selection in multiarch/e_exp.c):
// https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/x86_64/fpu/multiarch/e_exp-fma.c
import { FMA_SPLITTER, fmaSplit, fmaTie } from "./fma.ts";

// https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/dbl-64/e_exp_data.c
const EXP_INVLN2N = 184.6649652337873; // 0x1.71547652b82fep0 * N, N = 128
const EXP_NEGLN2HIN = -0.005415212348111709; // -0x1.62e42fefa0000p-8 (36 significant bits)
const EXP_NEGLN2LON = -1.2864023111638346e-14; // -0x1.cf79abc9e3b3ap-47
const EXP_SHIFT = 6755399441055744; // 0x1.8p52
const EXP_C2 = 0.49999999999996786; // 0x1.ffffffffffdbdp-2
const EXP_C3 = 0.16666666666665886; // 0x1.555555555543cp-3
const EXP_C4 = 0.0416666808410674; // 0x1.55555cf172b91p-5
const EXP_C5 = 0.008333335853059549; // 0x1.1111167a4d017p-7
const EXP_TINY = 5.551115123125783e-17; // 0x1p-54
const EXP_2P1009 = 5.486124068793689e303; // 0x1p1009
const EXP_2M1022 = 2.2250738585072014e-308; // 0x1p-1022
const EXP_DELTA = 6.938893903907228e-18; // 2^-57

/** tab[2i] of e_exp_data.c as a double: 2^(i/128) = EXP_SCALE[i] * (1 + EXP_TAIL[i]). */
const EXP_TAIL = Float64Array.of(
  0, 9.447885451727066e-17, -1.507066976926039e-17,
  -5.679155082825012e-17, 4.9997448722726326e-17, -4.823683599994895e-17,
  7.357846871247418e-18, 5.773230223741951e-17, 8.189317638195515e-17,
  5.326891139980878e-17, 1.6665881442326747e-18, -1.128113245461828e-17,
  -7.402825309426177e-17, -3.578659767309563e-18, -6.170654745608695e-17,
  2.919139999949279e-17, -2.7939114859515733e-17, -5.399285355184285e-17,
  4.776959425256223e-17, -7.927701432338473e-17, 9.341710609905046e-17,
  -5.534520675707472e-17, 4.585670326662351e-17, 2.8582430411116143e-17,
  7.826573258636076e-17, 4.053626906769216e-17, 2.823784425951061e-17,
  -7.882802262487991e-17, 3.2904726646008416e-17, -1.5792094703347882e-18,
  4.721368121170128e-17, 1.3045277096919659e-17, 3.3484623336251524e-17,
  3.8611199774925664e-17, 5.527550048505249e-17, -3.927184172445234e-17,
  -6.346552106729483e-17, -8.684417614865944e-17, -1.5456342819397733e-17,
  -8.70763476495455e-17, 3.750854201303127e-17, -6.616854503526488e-17,
  -5.346099009198751e-18, -2.443726321015018e-17, 2.1023049675215714e-18,
  7.771067937501065e-17, 1.3357510088834541e-17, 6.938291696959204e-17,
  1.9572585293112036e-17, 6.632256961675804e-17, -5.478069123926778e-17,
  -4.140839310392624e-17, -2.1571477251208752e-17, -3.8287766552120535e-17,
  6.663804589232195e-17, 2.3936187400285282e-17, 5.68648095791174e-17,
  1.1264523354521684e-18, 7.007875046906994e-17, -5.0119214278381254e-17,
  -4.8923067513522756e-17, -3.5260089953269434e-17, -6.872303720902018e-17,
  5.001446664133532e-18, -6.835808657661922e-17, -1.1307344092910212e-17,
  -8.416011634717156e-18, -2.9247977035436566e-17, -2.092304381843353e-17,
  -3.9778645875427124e-17, -3.833464968654295e-17, 5.763611164480894e-17,
  -2.3591094770850053e-17, 7.260074661098575e-17, 9.50689710108796e-18,
  -4.272956133839906e-17, -6.735219232374683e-17, -2.8396044410430936e-17,
  -7.226635472101257e-17, 5.786121003395918e-17, 5.1548301170786783e-17,
  -9.416257568878152e-18, 2.4253985766689806e-17, -6.604314051707707e-17,
  -6.432131775424189e-18, -1.2204007601863921e-17, -6.336161863401293e-17,
  -3.7800879246373815e-17, 1.5341410053603723e-17, 1.2932855580427452e-17,
  -4.123367330661149e-17, 4.703083974463456e-17, -6.152602891550265e-17,
  5.827849326195279e-17, 3.540948262646183e-17, -3.2741571320938764e-17,
  4.875160526227062e-17, -5.718569790077838e-17, -4.719539664590972e-18,
  -5.773451958805706e-17, -1.0772487078934056e-17, -6.221808618533911e-17,
  1.821405440362259e-17, -6.155536546227639e-17, 1.685487290628973e-17,
  5.3581249177694816e-17, 3.621615935336894e-17, 8.588379527574144e-18,
  1.01562190116415e-17, -2.869134889187244e-17, -5.495118966122005e-17,
  -5.56965572431627e-17, 1.790126907604513e-17, -3.2211766346200164e-17,
  5.265370768556274e-17, 3.5089866402403033e-17, -3.266924100901318e-17,
  -4.3657593008079375e-17, 1.7963932659833022e-17, 3.4300925275214166e-17,
  -5.545065618639427e-17, -5.149009745457733e-17, 5.336805878514151e-17,
  3.498978661192973e-17, 4.5784915277060095e-17, -5.241934575393899e-17,
  2.0414278897578303e-17, 4.124842848606488e-18
);

/** asdouble(tab[2i+1] + (i << 45)) of e_exp_data.c: 2^(i/128) rounded to double. */
const EXP_SCALE = Float64Array.of(
  1, 1.0054299011128027, 1.0108892860517005,
  1.016378314910953, 1.0218971486541166, 1.0274459491187637,
  1.0330248790212284, 1.0386341019613787, 1.0442737824274138,
  1.0499440858006872, 1.0556451783605572, 1.061377227289262,
  1.0671404006768237, 1.0729348675259756, 1.0787607977571199,
  1.0846183622133092, 1.0905077326652577, 1.0964290818163769,
  1.102382583307841, 1.1083684117236787, 1.1143867425958924,
  1.1204377524096067, 1.1265216186082418, 1.1326385195987192,
  1.1387886347566916, 1.1449721444318042, 1.1511892299529827,
  1.1574400736337511, 1.1637248587775775, 1.1700437696832502,
  1.1763969916502812, 1.182784710984341, 1.189207115002721,
  1.1956643920398273, 1.202156731452703, 1.2086843236265816,
  1.215247359980469, 1.2218460329727576, 1.22848053610687,
  1.2351510639369334, 1.241857812073484, 1.2486009771892048,
  1.255380757024691, 1.2621973503942507, 1.2690509571917332,
  1.275941778396392, 1.2828700160787783, 1.2898358734066657,
  1.2968395546510096, 1.3038812651919358, 1.3109612115247644,
  1.318079601266064, 1.3252366431597413, 1.3324325470831615,
  1.339667524053303, 1.3469417862329458, 1.3542555469368927,
  1.3616090206382248, 1.3690024229745905, 1.3764359707545302,
  1.383909881963832, 1.3914243757719262, 1.3989796725383112,
  1.4065759938190154, 1.4142135623730951, 1.4218926021691656,
  1.42961333839197, 1.4373759974489824, 1.4451808069770467,
  1.4530279958490526, 1.460917794180647, 1.4688504333369818,
  1.4768261459394993, 1.4848451658727524, 1.4929077282912648,
  1.5010140696264256, 1.5091644275934228, 1.5173590411982147,
  1.5255981507445384, 1.533881997840956, 1.5422108254079407,
  1.550584877685, 1.559004400237837, 1.567469639965553,
  1.5759808451078865, 1.5845382652524937, 1.593142151342267,
  1.6017927556826934, 1.6104903319492543, 1.6192351351948637,
  1.6280274218573478, 1.6368674497669644, 1.645755478153965,
  1.6546917676561943, 1.6636765803267364, 1.6727101796415966,
  1.681792830507429, 1.6909247992693053, 1.7001063537185235,
  1.709337763100463, 1.718619298122478, 1.7279512309618377,
  1.7373338352737062, 1.746767386199169, 1.7562521603732995,
  1.7657884359332727, 1.7753764925265212, 1.785016611318935,
  1.7947090750031072, 1.804454167806624, 1.8142521755003989,
  1.8241033854070534, 1.8340080864093424, 1.843966568958626,
  1.8539791250833855, 1.864046048397789, 1.8741676341103,
  1.8843441790323345, 1.8945759815869656, 1.9048633418176741,
  1.9152065613971474, 1.925605943636125, 1.9360617934922943,
  1.9465744175792332, 1.9571441241754002, 1.9677712232331759,
  1.978456026387951, 1.9891988469672663
);

/** High half (26 bits) of the Veltkamp split of c. */
function exp_hi(c: number): number {
  const t = FMA_SPLITTER * c;
  return t - (t - c);
}

const EXP_INVLN2N_HI = exp_hi(EXP_INVLN2N);
const EXP_INVLN2N_LO = EXP_INVLN2N - EXP_INVLN2N_HI;
const EXP_NEGLN2LON_HI = exp_hi(EXP_NEGLN2LON);
const EXP_NEGLN2LON_LO = EXP_NEGLN2LON - EXP_NEGLN2LON_HI;
const EXP_C3_HI = exp_hi(EXP_C3);
const EXP_C3_LO = EXP_C3 - EXP_C3_HI;
const EXP_C5_HI = exp_hi(EXP_C5);
const EXP_C5_LO = EXP_C5 - EXP_C5_HI;
const EXP_SCALE_HI = EXP_SCALE.map(exp_hi);
const EXP_SCALE_LO = EXP_SCALE.map((c, i) => c - EXP_SCALE_HI[i]!);

/** EXP_POW2[e + 1022] = 2^e for -1022 <= e <= 1023. */
const EXP_POW2 = exp_pow2Table();

function exp_pow2Table(): Float64Array {
  const t = new Float64Array(2046);
  let v = 1;
  for (let e = 0; e <= 1023; e++, v *= 2) t[e + 1022] = v;
  v = 1;
  for (let e = 0; e >= -1022; e--, v /= 2) t[e + 1022] = v;
  return t;
}

/** exp for |x| < 2^-54, |x| >= 1024, NaN: the early returns of __exp. */
function exp_outOfRange(x: number): number {
  if (Math.abs(x) < EXP_TINY) return 1 + x;
  if (x === -Infinity) return 0;
  if (x !== x || x === Infinity) return 1 + x;
  return x < 0 ? 0 : Infinity; // __math_uflow(0) = 0x1p-767 * 0x1p-767, __math_oflow(0) = 0x1p769 * 0x1p769
}

/**
 * specialcase() of e_exp.c, for 512 <= |x| < 1024: the result is scale*(1 + tmp) with scale = 2^(kd/128), which may
 * overflow or land in the subnormal range. `fused` selects fma(scale, tmp, scale) (FMA variant) for k >= 0.
 */
function exp_specialcase(tmp: number, idx: number, m: number, kd: number, fused: boolean): number {
  const h = EXP_SCALE[idx]!;
  if (kd >= 0) {
    // scale = 2^(m-1009) * h: y = 0x1p1009 * (scale + scale * tmp)
    const y = fused ? fmaSplit(h, EXP_SCALE_HI[idx]!, EXP_SCALE_LO[idx]!, tmp, exp_hi(tmp), tmp - exp_hi(tmp), h) : h + h * tmp;
    return y * EXP_POW2[m - 1009 + 1022]! * EXP_2P1009;
  }
  // scale = 2^(m+1022) * h; scale * tmp is not fused in either variant (GCC reuses the product below)
  const scale = h * EXP_POW2[m + 2044]!;
  const st = scale * tmp;
  let y = scale + st;
  if (y < 1.0) {
    // round y to the right precision before scaling it into the subnormal range (avoids double rounding)
    const hi = 1.0 + y;
    let lo = scale - y + st;
    lo = 1.0 - hi + y + lo;
    y = hi + lo - 1.0;
    if (y === 0) y = 0; // avoid -0
  }
  return y * EXP_2M1022;
}

/**
 * kd = roundtoint(x * N/ln2) as __exp_fma computes it: fma(x, InvLn2N, Shift) - Shift rounds the exact product to an
 * integer (ties to even). The rounded product z gives the same integer unless z is exactly halfway (|z - kd| = 0.5);
 * then the sign of the product's rounding error decides.
 */
function exp_kdHalf(x: number, z: number, kd: number, half: number): number {
  const t = FMA_SPLITTER * x;
  const xh = t - (t - x);
  const xl = x - xh;
  const ze = xh * EXP_INVLN2N_HI - z + xh * EXP_INVLN2N_LO + xl * EXP_INVLN2N_HI + xl * EXP_INVLN2N_LO; // x*InvLn2N - z
  return (half > 0 ? ze > 0 : ze < 0) ? kd + 2 * half : kd;
}

/**
 * glibc's exp(x) as run on x86_64 CPUs with FMA and AVX2 (__exp_fma), bit for bit.
 * https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/dbl-64/e_exp.c
 *
 * Fast path: evaluate tmp without fusing (as the SSE2 build does). The fused tmp of __exp_fma differs from it by at
 * most 1.002 * 2^-59: r differs by at most 1 ulp (< 2^-61) and each variant is within 3 roundings of < 2^-62 (u, q,
 * tmp: all below 2^-8 in magnitude) plus < 2^-70 of smaller terms of the exact polynomial. Scaled by h = 2^(i/128) < 2
 * that is < 2^-58; the check below covers +-(2^-57 - 2^-60), so when it passes the fused result is the same double.
 * Otherwise (about 5-10% of inputs) the fused evaluation is emulated exactly (exp_finishFma). Measured maximum of
 * |fused tmp - unfused tmp| over 3e7 random inputs: 2^-61.
 */
export function exp(x: number): number {
  const ax = Math.abs(x);
  if (!(ax >= EXP_TINY && ax < 512)) return exp_rareFma(x);
  const z = x * EXP_INVLN2N;
  let kd = z + EXP_SHIFT - EXP_SHIFT;
  const half = z - kd;
  if (half === 0.5 || half === -0.5) kd = exp_kdHalf(x, z, kd, half);
  const idx = kd & 127;
  const r = x + kd * EXP_NEGLN2HIN + kd * EXP_NEGLN2LON;
  const r2 = r * r;
  const tmp = EXP_TAIL[idx]! + r + r2 * (EXP_C2 + r * EXP_C3) + r2 * r2 * (EXP_C4 + r * EXP_C5);
  // Both scale + scale * tmp values (fused tmp, this tmp) lie within 2^-58 of each other; if the two ends of
  // h + h * (tmp -+ 2^-57) (each off by < 2^-60 from rounding) round to the same double, so does the fused one.
  const h = EXP_SCALE[idx]!;
  const y = h + h * (tmp - EXP_DELTA);
  if (y === h + h * (tmp + EXP_DELTA)) return y * EXP_POW2[(kd - idx) / 128 + 1022]!;
  return exp_finishFma(x, kd, idx);
}

/**
 * Same results as `exp` (glibc __exp_fma), always through the exact emulation of every fused operation; slower.
 * Exported so that tests can check the emulation on its own.
 */
export function expFmaExact(x: number): number {
  const ax = Math.abs(x);
  if (!(ax >= EXP_TINY && ax < 512)) return exp_rareFma(x);
  const z = x * EXP_INVLN2N;
  let kd = z + EXP_SHIFT - EXP_SHIFT;
  const half = z - kd;
  if (half === 0.5 || half === -0.5) kd = exp_kdHalf(x, z, kd, half);
  return exp_finishFma(x, kd, kd & 127);
}

/**
 * __exp_fma for 2^-54 <= |x| < 512 from kd on, every fused operation emulated inline: each fma(a, b, c) is an exact
 * product a*b = p + pe (Dekker, constants pre-split), an exact sum p + c = s + se (2Sum, or Fast2Sum when |c| >= |p|),
 * then v = RN(s + (se + pe)) with fmaTie resolving an exact tie (see fma.ts).
 */
function exp_finishFma(x: number, kd: number, idx: number): number {
  const tmp = exp_tmpFma(x, kd, idx);
  // scale + scale * tmp (fused), scale = 2^m * h: the power of two factors out exactly (normal range); h dominates
  const h = EXP_SCALE[idx]!;
  const hh = EXP_SCALE_HI[idx]!;
  const hl = EXP_SCALE_LO[idx]!;
  const ts = FMA_SPLITTER * tmp;
  const th = ts - (ts - tmp);
  const tl = tmp - th;
  const p = h * tmp;
  const pe = hh * th - p + hh * tl + hl * th + hl * tl;
  const s = h + p;
  const se = p - (s - h);
  const t = se + pe;
  const v = s + t;
  const tt = t - (v - s);
  const y = tt !== 0 && v + 2 * tt - v === 2 * tt ? fmaTie(v, tt, se, pe) : v;
  return y * EXP_POW2[(kd - idx) / 128 + 1022]!;
}

/**
 * tmp of __exp_fma, with r = x - kd*ln2/N:
 *   r = x + kd * NegLn2hiN + kd * NegLn2loN   ->  fma(kd, NegLn2loN, fma(kd, NegLn2hiN, x))
 *   tmp = tail + r + r2 * (C2 + r * C3) + r2 * r2 * (C4 + r * C5)
 *       ->  fma(r2 * r2, fma(r, C5, C4), fma(fma(r, C3, C2), r2, tail + r))
 */
function exp_tmpFma(x: number, kd: number, idx: number): number {
  // NegLn2hiN = -0xb17217f7d * 2^-43 (36-bit odd part): kd * NegLn2hiN is exact for |kd| <= 189096, i.e. |x| < 1023.999,
  // so the inner fma is x + kd * NegLn2hiN (beyond that the result overflows or underflows to 0 either way).
  // kd has at most 18 bits, so kd * NegLn2loN = p + pe with the split of NegLn2loN alone. Full 2Sum: r may be tiny.
  const c0 = x + kd * EXP_NEGLN2HIN;
  const p0 = kd * EXP_NEGLN2LON;
  const pe0 = kd * EXP_NEGLN2LON_HI - p0 + kd * EXP_NEGLN2LON_LO;
  const s0 = p0 + c0;
  const sb0 = s0 - p0;
  const se0 = p0 - (s0 - sb0) + (c0 - sb0);
  const t0 = se0 + pe0;
  const v0 = s0 + t0;
  const tt0 = t0 - (v0 - s0);
  const r = tt0 !== 0 && v0 + 2 * tt0 - v0 === 2 * tt0 ? fmaTie(v0, tt0, se0, pe0) : v0;
  const rs = FMA_SPLITTER * r;
  const rh = rs - (rs - r);
  const rl = r - rh;
  const r2 = r * r;
  // c23 = fma(r, C3, C2); |r| < 0.0028, so C2 dominates
  const p1 = r * EXP_C3;
  const pe1 = rh * EXP_C3_HI - p1 + rh * EXP_C3_LO + rl * EXP_C3_HI + rl * EXP_C3_LO;
  const s1 = EXP_C2 + p1;
  const se1 = p1 - (s1 - EXP_C2);
  const t1 = se1 + pe1;
  const v1 = s1 + t1;
  const tt1 = t1 - (v1 - s1);
  const c23 = tt1 !== 0 && v1 + 2 * tt1 - v1 === 2 * tt1 ? fmaTie(v1, tt1, se1, pe1) : v1;
  // c45 = fma(r, C5, C4); C4 dominates
  const p2 = r * EXP_C5;
  const pe2 = rh * EXP_C5_HI - p2 + rh * EXP_C5_LO + rl * EXP_C5_HI + rl * EXP_C5_LO;
  const s2 = EXP_C4 + p2;
  const se2 = p2 - (s2 - EXP_C4);
  const t2 = se2 + pe2;
  const v2 = s2 + t2;
  const tt2 = t2 - (v2 - s2);
  const c45 = tt2 !== 0 && v2 + 2 * tt2 - v2 === 2 * tt2 ? fmaTie(v2, tt2, se2, pe2) : v2;
  // q = fma(c23, r2, tail + r); full 2Sum (tail + r may cancel)
  const as3 = FMA_SPLITTER * c23;
  const ah3 = as3 - (as3 - c23);
  const al3 = c23 - ah3;
  const bs3 = FMA_SPLITTER * r2;
  const bh3 = bs3 - (bs3 - r2);
  const bl3 = r2 - bh3;
  const c3 = EXP_TAIL[idx]! + r;
  const p3 = c23 * r2;
  const pe3 = ah3 * bh3 - p3 + ah3 * bl3 + al3 * bh3 + al3 * bl3;
  const s3 = p3 + c3;
  const sb3 = s3 - p3;
  const se3 = p3 - (s3 - sb3) + (c3 - sb3);
  const t3 = se3 + pe3;
  const v3 = s3 + t3;
  const tt3 = t3 - (v3 - s3);
  const q = tt3 !== 0 && v3 + 2 * tt3 - v3 === 2 * tt3 ? fmaTie(v3, tt3, se3, pe3) : v3;
  // tmp = fma(r2 * r2, c45, q); full 2Sum
  const r4 = r2 * r2;
  const as4 = FMA_SPLITTER * r4;
  const ah4 = as4 - (as4 - r4);
  const al4 = r4 - ah4;
  const bs4 = FMA_SPLITTER * c45;
  const bh4 = bs4 - (bs4 - c45);
  const bl4 = c45 - bh4;
  const p4 = r4 * c45;
  const pe4 = ah4 * bh4 - p4 + ah4 * bl4 + al4 * bh4 + al4 * bl4;
  const s4 = p4 + q;
  const sb4 = s4 - p4;
  const se4 = p4 - (s4 - sb4) + (q - sb4);
  const t4 = se4 + pe4;
  const v4 = s4 + t4;
  const tt4 = t4 - (v4 - s4);
  return tt4 !== 0 && v4 + 2 * tt4 - v4 === 2 * tt4 ? fmaTie(v4, tt4, se4, pe4) : v4;
}

/** __exp_fma for |x| < 2^-54, |x| >= 512 and NaN. */
function exp_rareFma(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < 1024)) return exp_outOfRange(x);
  if (ax < EXP_TINY) return 1 + x;
  const z = x * EXP_INVLN2N;
  let kd = z + EXP_SHIFT - EXP_SHIFT;
  const half = z - kd;
  if (half === 0.5 || half === -0.5) kd = exp_kdHalf(x, z, kd, half);
  const idx = kd & 127;
  return exp_specialcase(exp_tmpFma(x, kd, idx), idx, (kd - idx) / 128, kd, true);
}

/**
 * glibc's exp(x) on x86_64 CPUs without FMA/AVX2 (the SSE2 build of the same source, no contraction), bit for bit.
 * https://github.com/bminor/glibc/blob/release/2.36/master/sysdeps/ieee754/dbl-64/e_exp.c
 */
export function expNoFma(x: number): number {
  const ax = Math.abs(x);
  let special = false;
  if (!(ax >= EXP_TINY && ax < 512)) {
    if (!(ax < 1024)) return exp_outOfRange(x);
    if (ax < EXP_TINY) return 1 + x;
    special = true;
  }
  const z = EXP_INVLN2N * x;
  const kd = z + EXP_SHIFT - EXP_SHIFT;
  const r = x + kd * EXP_NEGLN2HIN + kd * EXP_NEGLN2LON;
  const idx = kd & 127;
  const m = (kd - idx) / 128;
  const r2 = r * r;
  const tmp = EXP_TAIL[idx]! + r + r2 * (EXP_C2 + r * EXP_C3) + r2 * r2 * (EXP_C4 + r * EXP_C5);
  if (special) return exp_specialcase(tmp, idx, m, kd, false);
  const h = EXP_SCALE[idx]!;
  return (h + h * tmp) * EXP_POW2[m + 1022]!;
}
