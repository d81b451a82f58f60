// The modelc package's programmatic API: the same pipeline the CLI runs, without printing or exiting.

export { compile, compileIr, importModel, type CompileInput, type CompileOptions, type CompileResult } from "./compile.ts";
export { diff, type DiffOptions, type DiffResult, type RowsInput } from "./diff.ts";
export { EXPECTED_KEYS } from "./diffKeys.ts";
export { inspect, type ModelDescription } from "./inspect.ts";
export { bundle, type BundleOptions } from "./bundle/bundle.ts";
export { CompileError, type ErrorCode, type ErrorLocation } from "./errors.ts";
export { STYLES, TARGETS, type OutputFile, type Style, type TargetName } from "../emitters/registry.ts";
export type { ModelIR } from "./ir/types.ts";
export type { ParityReport, OutputReport, ExpectedOutputs } from "./parity.ts";
