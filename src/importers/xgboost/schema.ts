// Zod schemas of XGBoost's JSON model (save_model "m.json"/"m.ubj"), versions 1.0 to 3.x.
// Layout: https://github.com/dmlc/xgboost/blob/master/doc/model.schema and src/tree/tree_model.cc SaveModel.

import { z } from "zod";
import { flagArray, intArray, numberArray, numericString } from "../zodHelpers.ts";

export function xgboostSchemas(strict: boolean) {
  const obj = <S extends z.ZodRawShape>(shape: S) => (strict ? z.strictObject(shape) : z.looseObject(shape));

  const treeParam = obj({
    num_deleted: numericString().optional(),
    num_feature: numericString(),
    num_nodes: numericString(),
    size_leaf_vector: numericString().optional(),
  });

  const tree = obj({
    id: z.number().int().optional(),
    tree_param: treeParam,
    left_children: intArray(),
    right_children: intArray(),
    parents: intArray().optional(),
    split_indices: intArray(),
    split_conditions: numberArray(),
    split_type: intArray().optional(),
    default_left: flagArray(),
    base_weights: numberArray().optional(),
    leaf_weights: numberArray().optional(),
    loss_changes: numberArray().optional(),
    sum_hessian: numberArray().optional(),
    categories: intArray().optional(),
    categories_nodes: intArray().optional(),
    categories_segments: intArray().optional(),
    categories_sizes: intArray().optional(),
  });

  const gbtreeModel = obj({
    gbtree_model_param: obj({
      num_parallel_tree: numericString().optional(),
      num_trees: numericString(),
      size_leaf_vector: numericString().optional(),
    }),
    trees: z.array(z.unknown()),
    tree_info: intArray(),
    iteration_indptr: intArray().optional(),
    cats: z.unknown().optional(),
    weight_drop: numberArray().optional(),
  });

  const gbtree = obj({ name: z.literal("gbtree"), model: z.unknown() });
  const dart = obj({
    name: z.literal("dart"),
    gbtree: z.unknown().optional(),
    model: z.unknown().optional(),
    weight_drop: numberArray().optional(),
  });
  const gblinear = obj({
    name: z.literal("gblinear"),
    model: obj({
      weights: numberArray(),
      boosted_rounds: z.number().optional(),
      param: z.unknown().optional(),
    }),
  });

  const learner = obj({
    attributes: z.record(z.string(), z.unknown()).optional(),
    feature_names: z.array(z.string()).optional(),
    feature_types: z.array(z.string()).optional(),
    gradient_booster: z.object({ name: z.string() }).loose(),
    learner_model_param: obj({
      base_score: z.string(),
      boost_from_average: numericString().optional(),
      num_class: numericString(),
      num_feature: numericString(),
      num_target: numericString().optional(),
    }),
    objective: z.object({ name: z.string() }).loose(),
  });

  const root = obj({
    learner: z.unknown(),
    version: z.array(z.number().int()).min(1),
  });

  return { root, learner, gbtree, dart, gblinear, gbtreeModel, tree };
}

export type XgbTree = z.infer<ReturnType<typeof xgboostSchemas>["tree"]>;
export type XgbGbtreeModel = z.infer<ReturnType<typeof xgboostSchemas>["gbtreeModel"]>;
export type XgbLearner = z.infer<ReturnType<typeof xgboostSchemas>["learner"]>;
