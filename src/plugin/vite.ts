// modelc/vite: the modelc plugin for Vite (`import model from "./model.json?modelc"`).

import { modelcUnplugin } from "./modelcUnplugin.ts";

export type { BuildReport, ModelReport, ModelcPluginOptions } from "./modelcUnplugin.ts";
export default modelcUnplugin.vite;
