// Type-level check of modelc/client (compiled by `tsc -p tsconfig.json`, never run): `?modelc` imports, with
// options in any order, type as the generic module API.
/// <reference path="../../src/plugin/client.d.ts" />

import type churn from "../../fixtures/xgb3-binary-logistic/model.json?modelc";
import type { predict, meta } from "../../fixtures/lgb4-binary/model.txt?modelc&target=wasm";
import type tableModel from "./models/x.ubj?modelc&target=wasm&style=table";

export const checks: [number | string | number[], number, number[] | undefined, ReturnType<typeof predict>, (typeof meta)["nFeatures"]] = [
  (null as unknown as typeof churn).predict([1, 2]),
  (null as unknown as typeof churn).meta.nFeatures,
  (null as unknown as typeof tableModel).predictProba?.([1]),
  0,
  0,
];
