// modelc/rollup: the modelc plugin for Rollup (`import model from "./model.json?modelc"`).

import { modelcUnplugin } from "./modelcUnplugin.ts";

export type { BuildReport, ModelReport, ModelcPluginOptions } from "./modelcUnplugin.ts";
export default modelcUnplugin.rollup;
