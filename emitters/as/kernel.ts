// AssemblyScript printer of kernel models (libsvm SVC/SVR/one-class): the loops of src/ir/kernel.ts, as the
// TypeScript printer writes them (emitters/ts/kernel.ts), one row at a time, the one-vs-one pairs unrolled from the
// lowering (emitters/lower/ovoPairs.ts). Each row's pair decisions stay in DB for the vote.

import { modelWidth } from "../../src/ir/preprocess.ts";
import type { KernelModel } from "../../src/ir/types.ts";
import { kernelDecisionCount, ovoPairs } from "../lower/ovoPairs.ts";
import type { AsBody, AsContext } from "./body.ts";
import { f64Lit } from "./literals.ts";

/** Rows whose kernel values a batch computes at once (each support vector loaded once for them). */
const ROWS = 4;

export function emitKernelAs(ctx: AsContext, m: KernelModel, block: number): AsBody {
  const { ir, data } = ctx;
  const runtime = new Set<string>();
  const W = modelWidth(ir);
  const K = m.counts.length;
  const nD = kernelDecisionCount(m);
  const NO = ir.nOutputs;
  const code: string[] = [
    data.f64("KV", m.vectors),
    data.f64("KC", m.coef),
    data.f64("KI", m.intercept),
    `const KK = memory.data(${8 * ROWS * Math.max(1, m.nSV)}, 8);`,
    `const DB = memory.data(${8 * nD * block}, 8);`,
  ];
  const g = f64Lit(m.gamma);
  const c0 = f64Lit(m.coef0);
  if (m.kernel === "rbf") runtime.add("exp.as");
  if (m.kernel === "poly" || m.kernel === "sigmoid") runtime.add("kernel.as");
  const kval = {
    linear: "sum",
    poly: `kernelPowi(${g} * sum + ${c0}, ${m.degree})`,
    sigmoid: `fdlibmTanh(${g} * sum + ${c0})`,
    rbf: `exp(-${g} * sum)`,
  }[m.kernel];
  const xs = ctx.xt === "f32" ? 2 : 3;
  const xi = (j: number) => `<f64>load<${ctx.xt}>(x + ${j === 0 ? "" : `${j} * stride + `}(<usize>i << ${xs}))`;
  const kv = `load<f64>(KV + (<usize>(o + i) << 3))`;
  const term = (j: number) => (m.kernel === "rbf" ? `{ const d = ${xi(j)} - k; sum${j} += d * d; }` : `sum${j} += ${xi(j)} * k;`);
  const at = (p: string, k: string | number) => `${p} + (<usize>(${k}) << 3)`;
  // Kernel values of k rows (x, x + stride, ..) into KK (row j's at KK + j·8·nSV): each support vector loaded once
  // for them, each row's sum its own chain; per row the same operations in the same order.
  const kernels = (k: number): string => {
    const L = [`function kernels${k}_(x: usize, stride: usize): void {`, `  for (let s = 0; s < ${m.nSV}; s++) {`, `    const o = s * ${W};`];
    for (let j = 0; j < k; j++) L.push(`    let sum${j}: f64 = 0.0;`);
    L.push(`    for (let i = 0; i < ${W}; i++) {`, `      const k = ${kv};`);
    for (let j = 0; j < k; j++) L.push(`      ${term(j)}`);
    L.push("    }");
    for (let j = 0; j < k; j++) L.push(`    store<f64>(${at("KK", "s")}, ${kval.replaceAll("sum", `sum${j}`)}, ${8 * m.nSV * j});`);
    L.push("  }", "}");
    return L.join("\n");
  };
  // the same for ROWS rows in f64x2 lanes (rows 2k and 2k + 1 in sum<k>): per lane the scalar chain (from 0.0, feature
  // by feature the product or the squared difference, then the sum); float64 rows transposed two features at a time
  const kernelsSimd = (): string => {
    const K = ROWS / 2;
    const row = (j: number) => (j === 0 ? "p" : `p + ${j} * stride`);
    const add = (k: number, v: string, w: string) =>
      m.kernel === "rbf"
        ? `{ const d = f64x2.sub(${v}, ${w}); sum${k} = f64x2.add(sum${k}, f64x2.mul(d, d)); }`
        : `sum${k} = f64x2.add(sum${k}, f64x2.mul(${v}, ${w}));`;
    const L = [`function kernels${ROWS}_(x: usize, stride: usize): void {`, `  for (let s = 0; s < ${m.nSV}; s++) {`, `    const o = s * ${W};`];
    for (let k = 0; k < K; k++) L.push(`    let sum${k} = f64x2.splat(0.0);`);
    L.push("    let i = 0;");
    if (ctx.xt === "f64") {
      L.push(
        `    for (; i + 2 <= ${W}; i += 2) {`,
        `      const k0 = v128.load64_splat(KV + (<usize>(o + i) << 3));`,
        `      const k1 = v128.load64_splat(KV + (<usize>(o + i) << 3), 8);`,
        "      const p = x + (<usize>i << 3);",
      );
      for (let k = 0; k < K; k++) {
        L.push(
          `      { const u = v128.load(${row(2 * k)}); const t = v128.load(${row(2 * k + 1)});`,
          `        ${add(k, "v128.shuffle<f64>(u, t, 0, 2)", "k0")}`,
          `        ${add(k, "v128.shuffle<f64>(u, t, 1, 3)", "k1")} }`,
        );
      }
      L.push("    }");
    }
    const pair = (k: number) =>
      ctx.xt === "f64"
        ? `v128.load64_lane(${row(2 * k + 1)}, v128.load64_zero(${row(2 * k)}), 1)`
        : `f64x2.promote_low_f32x4(v128.load32_lane(${row(2 * k + 1)}, v128.load32_zero(${row(2 * k)}), 1))`;
    L.push(`    for (; i < ${W}; i++) {`, `      const k0 = v128.load64_splat(KV + (<usize>(o + i) << 3));`, `      const p = x + (<usize>i << ${xs});`);
    for (let k = 0; k < K; k++) L.push(`      { const v = ${pair(k)}; ${add(k, "v", "k0")} }`);
    L.push("    }");
    for (let j = 0; j < ROWS; j++) {
      const lane = `f64x2.extract_lane(sum${j >> 1}, ${j & 1})`;
      L.push(`    { const sum = ${lane}; store<f64>(${at("KK", "s")}, ${kval}, ${8 * m.nSV * j}); }`);
    }
    L.push("  }", "}");
    return L.join("\n");
  };
  code.push(kernels(1), kernelsSimd());
  // the decisions and raw scores of row r of the block from its kernel values at K
  const L = ["function finish_(K: usize, r: i32): void {", "  {", `    const R = ACC + <usize>r * ${8 * NO};`, `    const D = DB + <usize>r * ${8 * nD};`];
  if (m.form === "single") {
    L.push(
      "    {",
      "      let sum: f64 = 0.0;",
      `      for (let s = 0; s < ${m.nSV}; s++) sum += load<f64>(${at("KC", "s")}) * load<f64>(${at("K", "s")});`,
      "      store<f64>(D, sum + load<f64>(KI));",
      "    }",
    );
  } else {
    for (const { p, sides } of ovoPairs(m)) {
      L.push("    {", "      let sum: f64 = 0.0;");
      for (const sv of sides) {
        L.push(`      for (let s = ${sv.from}; s < ${sv.to}; s++) sum += load<f64>(${at("KC", `${sv.coefRow} + s`)}) * load<f64>(${at("K", "s")});`);
      }
      L.push(`      store<f64>(D, sum + load<f64>(KI, ${8 * p}), ${8 * p});`, "    }");
    }
  }
  if (m.rawShape === "single" || m.rawShape === "pairs") {
    L.push(`    for (let k = 0; k < ${nD}; k++) store<f64>(${at("R", "k")}, load<f64>(${at("D", "k")}));`);
  } else if (m.rawShape === "negate") {
    L.push("    store<f64>(R, -load<f64>(D));");
  } else {
    // scikit-learn's _ovr_decision_function: votes + confidences / (3 (|confidences| + 1))
    code.push(`const CONF = memory.data(${8 * K}, 8);`, `const VOTES = memory.data(${8 * K}, 8);`);
    L.push(`    for (let c = 0; c < ${K}; c++) { store<f64>(${at("CONF", "c")}, 0.0); store<f64>(${at("VOTES", "c")}, 0.0); }`);
    for (const { p, i, j } of ovoPairs(m)) {
      L.push(
        `    { const d = load<f64>(D, ${8 * p}); const c = -d;`,
        `      store<f64>(CONF, load<f64>(CONF, ${8 * i}) - c, ${8 * i}); store<f64>(CONF, load<f64>(CONF, ${8 * j}) + c, ${8 * j});`,
        `      if (d < 0.0) store<f64>(VOTES, load<f64>(VOTES, ${8 * j}) + 1.0, ${8 * j}); else store<f64>(VOTES, load<f64>(VOTES, ${8 * i}) + 1.0, ${8 * i}); }`,
      );
    }
    L.push(
      `    for (let c = 0; c < ${K}; c++) { const cf = load<f64>(${at("CONF", "c")}); store<f64>(${at("R", "c")}, load<f64>(${at("VOTES", "c")}) + cf / (3.0 * (abs<f64>(cf) + 1.0))); }`,
    );
  }
  L.push("  }", "}");
  code.push(L.join("\n"));
  code.push(
    [
      "function rawBlock_(x0: usize, n: i32, stride: usize): void {",
      "  let r = 0;",
      `  for (; r + ${ROWS} <= n; r += ${ROWS}) {`,
      "    kernels4_(x0 + <usize>r * stride, stride);",
      `    for (let j = 0; j < ${ROWS}; j++) finish_(KK + <usize>j * ${8 * m.nSV}, r + j);`,
      "  }",
      "  for (; r < n; r++) {",
      "    kernels1_(x0 + <usize>r * stride, stride);",
      "    finish_(KK, r);",
      "  }",
      "}",
    ].join("\n"),
  );
  if (ir.decision.kind === "vote") {
    // libsvm's predicted class: one-vs-one votes on the row's decisions, first maximum
    code.push(`const VOTE = memory.data(${4 * K}, 4);`);
    const v = ["function vote_(D: usize): i32 {", `  for (let c = 0; c < ${K}; c++) store<i32>(VOTE + (<usize>c << 2), 0);`];
    for (const { p, i, j } of ovoPairs(m)) {
      v.push(`  { const w = VOTE + (load<f64>(D, ${8 * p}) > 0.0 ? ${4 * i} : ${4 * j}); store<i32>(w, load<i32>(w) + 1); }`);
    }
    v.push(
      "  let best = 0;",
      `  for (let c = 1; c < ${K}; c++) if (load<i32>(VOTE + (<usize>c << 2)) > load<i32>(VOTE + (<usize>best << 2))) best = c;`,
      "  return best;",
      "}",
    );
    code.push(v.join("\n"));
  }
  return { code, runtime };
}
