// The code styles every target prints a model in: nested conditions, or typed-array tables and a loop.

export type Style = "ifelse" | "table";
