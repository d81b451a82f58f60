// A multi-layer perceptron's layers as the printers' tables: every layer's weights (nIn × nOut, row-major, as in the
// IR) one after the other in one table, the biases likewise, the layer sizes [nIn of layer 0, nOut of each layer], and
// each layer's offsets into the two tables. The printers then loop over the layers (no code per layer).

import type { MlpModel } from "../../src/ir/types.ts";

export interface MlpTables {
  nLayers: number;
  weights: Float64Array;
  bias: Float64Array;
  /** nLayers + 1 sizes: the first layer's inputs, then each layer's units */
  sizes: Int32Array;
  /** offset of layer l's weights in `weights` */
  weightAt: Int32Array;
  /** offset of layer l's biases in `bias` */
  biasAt: Int32Array;
  /** the widest hidden layer (at least 1): the hidden buffers' values per row */
  maxHidden: number;
}

export function mlpTables(m: MlpModel): MlpTables {
  const n = m.layers.length;
  let nw = 0;
  let nb = 0;
  const weightAt = new Int32Array(n);
  const biasAt = new Int32Array(n);
  m.layers.forEach((L, l) => {
    weightAt[l] = nw;
    biasAt[l] = nb;
    nw += L.weights.length;
    nb += L.bias.length;
  });
  const weights = new Float64Array(nw);
  const bias = new Float64Array(nb);
  m.layers.forEach((L, l) => {
    weights.set(L.weights, weightAt[l]);
    bias.set(L.bias, biasAt[l]);
  });
  const sizes = Int32Array.from([m.layers[0]!.nIn, ...m.layers.map((L) => L.nOut)]);
  let maxHidden = 1;
  for (let l = 0; l < n - 1; l++) maxHidden = Math.max(maxHidden, m.layers[l]!.nOut);
  return { nLayers: n, weights, bias, sizes, weightAt, biasAt, maxHidden };
}
