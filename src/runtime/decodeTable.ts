// Decodes a base64 table embedded in a generated module into little-endian bytes (any host, no imports).

const DECODE_TABLE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE_TABLE_LOOKUP = /* @__PURE__ */ (() => {
  const t = new Uint8Array(128);
  for (let i = 0; i < 64; i++) t[DECODE_TABLE_ALPHABET.charCodeAt(i)] = i;
  return t;
})();
const DECODE_TABLE_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function decodeBytes(s: string): Uint8Array {
  let pad = 0;
  if (s.endsWith("==")) pad = 2;
  else if (s.endsWith("=")) pad = 1;
  const n = (s.length / 4) * 3 - pad;
  const out = new Uint8Array(n);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const v =
      (DECODE_TABLE_LOOKUP[s.charCodeAt(i)]! << 18) |
      (DECODE_TABLE_LOOKUP[s.charCodeAt(i + 1)]! << 12) |
      (DECODE_TABLE_LOOKUP[s.charCodeAt(i + 2)]! << 6) |
      DECODE_TABLE_LOOKUP[s.charCodeAt(i + 3)]!;
    if (o < n) out[o++] = (v >>> 16) & 255;
    if (o < n) out[o++] = (v >>> 8) & 255;
    if (o < n) out[o++] = v & 255;
  }
  return out;
}

function decodeTableSwap(b: Uint8Array, width: number): Uint8Array {
  if (DECODE_TABLE_LE || width === 1) return b;
  for (let i = 0; i < b.length; i += width) b.subarray(i, i + width).reverse();
  return b;
}

export function decodeF64(s: string): Float64Array {
  return new Float64Array(decodeTableSwap(decodeBytes(s), 8).buffer);
}
export function decodeF32(s: string): Float32Array {
  return new Float32Array(decodeTableSwap(decodeBytes(s), 4).buffer);
}
export function decodeI32(s: string): Int32Array {
  return new Int32Array(decodeTableSwap(decodeBytes(s), 4).buffer);
}
export function decodeU32(s: string): Uint32Array {
  return new Uint32Array(decodeTableSwap(decodeBytes(s), 4).buffer);
}
