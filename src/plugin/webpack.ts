// modelc/webpack: the modelc plugin for webpack 5 (`import model from "./model.json?modelc"`).

import { modelcUnplugin } from "./modelcUnplugin.ts";

export type { BuildReport, ModelReport, ModelcPluginOptions } from "./modelcUnplugin.ts";
export default modelcUnplugin.webpack;
