// Categorical split test on a bitset (words[start … start+nWords)): does value v go left?
// memberLeft: members go left (LightGBM, scikit-learn HGB) or right (XGBoost, src/common/categorical.h).

export function catGoesLeft(
  v: number,
  words: Uint32Array,
  start: number,
  nWords: number,
  memberLeft: boolean,
  invalidToDefault: boolean,
  limit: number,
  truncateFirst: boolean,
  defaultLeft: boolean,
): boolean {
  if (v !== v) return defaultLeft;
  const c = Math.trunc(v);
  const r = truncateFirst ? c : v;
  if (!(r >= 0 && r < limit)) return invalidToDefault ? defaultLeft : !memberLeft;
  const w = c >>> 5;
  const member = w < nWords && ((words[start + w]! >>> (c & 31)) & 1) === 1;
  return member === memberLeft;
}
