// modelc/esbuild: the modelc plugin for esbuild (`import model from "./model.json?modelc"`).

import { modelcUnplugin } from "./modelcUnplugin.ts";

export type { BuildReport, ModelReport, ModelcPluginOptions } from "./modelcUnplugin.ts";
export default modelcUnplugin.esbuild;
