// RUNTIME_PORTS: which src/runtime/*.ts helpers each AssemblyScript port src/runtime/as/*.as mirrors, and the names only one side has.

/** One AssemblyScript runtime file and the TypeScript helpers it ports, operation for operation. */
export interface RuntimePort {
  /** file under src/runtime/as */
  as: string;
  /** files under src/runtime whose exported functions and constants are top-level names of `as` */
  ts: readonly string[];
  /** exported names of those files that the port leaves out, and why */
  tsOnly?: Readonly<Record<string, string>>;
  /** top-level functions of the port that no `ts` file exports (port-side helpers), and why */
  asOnly?: Readonly<Record<string, string>>;
}

const FMA_VARIANTS = "the non-FMA (SSE2) variant and the always-emulated twin are for tests and benchmarks; the port is the FMA one";

/**
 * Every AssemblyScript runtime file. test/runtimePorts.test.ts checks this table against both folders: a helper
 * added on one side only, or an exported name missing from its port, fails there.
 */
export const RUNTIME_PORTS: readonly RuntimePort[] = [
  {
    as: "common.as",
    ts: ["argmax.ts", "catGoesLeft.ts"],
    asOnly: {
      sortF64: "XGBoost quantile outputs: the JS modules call Float64Array.prototype.sort",
      sortBefore: "the order of sortF64",
    },
  },
  {
    as: "fma.as",
    ts: ["math/fma.ts"],
    tsOnly: { fma: "the general fma; the exp/log ports use the fast paths only" },
    asOnly: { fmaAddExactDom: "fmaAddExact by Fast2Sum where |c| >= |p| is known", fmaHi: "the high half of fmaSplit alone" },
  },
  { as: "exp.as", ts: ["math/exp.ts"], tsOnly: { expNoFma: FMA_VARIANTS, expFmaExact: FMA_VARIANTS } },
  { as: "expf.as", ts: ["math/expf.ts"], tsOnly: { expfNoFma: FMA_VARIANTS } },
  { as: "log.as", ts: ["math/log.ts"], tsOnly: { logNoFma: FMA_VARIANTS, logFmaExact: FMA_VARIANTS } },
  { as: "log1p.as", ts: ["math/log1p.ts"], tsOnly: { log1pNoFma: FMA_VARIANTS, log1pFmaExact: FMA_VARIANTS } },
  {
    as: "kernel.as",
    ts: ["kernelPowi.ts"],
    asOnly: { fdlibmTanh: "Math.tanh of V8 (fdlibm), which the JS modules call", fdlibmExpm1: "used by fdlibmTanh" },
  },
  { as: "knn.as", ts: ["knn.ts"] },
  { as: "lgb.as", ts: ["lgbSigmoid.ts", "lgbSoftmax.ts", "lgbLog1pExp.ts"] },
  { as: "libsvm.as", ts: ["libsvmProba.ts"], asOnly: { lsAt: "f64 load of linear memory" } },
  { as: "median.as", ts: ["weightedMedian.ts"] },
  { as: "lookup.as", ts: ["skLookup.ts"] },
  { as: "sk.as", ts: ["skSoftmax.ts", "skIforest.ts"] },
  { as: "xgb.as", ts: ["xgbSigmoid.ts", "xgbSoftmax.ts"] },
];

/** TypeScript runtime files with no AssemblyScript port, and why. */
export const TS_ONLY_RUNTIME: Readonly<Record<string, string>> = {
  "decodeTable.ts": "JS modules decode their base64 tables; wasm modules hold them in data segments",
  "math/logf.ts": "compile time only (XGBoost base_score), never inlined into a model",
};

const AS_FILES = new Set(RUNTIME_PORTS.map((p) => p.as));
const TS_FILES = new Set([...RUNTIME_PORTS.flatMap((p) => p.ts), ...Object.keys(TS_ONLY_RUNTIME)]);

/** Throws unless `file` (relative to src/runtime, or to src/runtime/as for `.as`) is a declared runtime file. */
export function checkRuntimeFile(file: string): void {
  const known = file.endsWith(".as") ? AS_FILES : TS_FILES;
  if (!known.has(file)) throw new Error(`internal: runtime file ${file} is not declared in emitters/runtimePorts.ts`);
}
