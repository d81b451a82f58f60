// Leaf vectors pooled: each distinct vector (bit for bit) stored once, so forests that repeat a few (pure leaves)
// keep one copy.

/**
 * Distinct vectors of `width` doubles (bit patterns compared, so -0 and 0 stay apart), stored one
 * after the other; `add` gives the offset of the vector's first value. Open addressing over a hash
 * of the 32-bit words.
 */
export class VectorPool {
  private data: Float64Array;
  private words: Uint32Array;
  private table = new Int32Array(1024).fill(-1);
  private count = 0;
  private readonly probe = new Float64Array(1);
  private readonly probeWords = new Uint32Array(this.probe.buffer);

  constructor(private readonly width: number) {
    this.data = new Float64Array(width * 256);
    this.words = new Uint32Array(this.data.buffer);
  }

  add(src: Float64Array, at: number): number {
    const w = this.width;
    let h = 0x811c9dc5;
    for (let k = 0; k < w; k++) {
      this.probe[0] = src[at + k]!;
      h = Math.imul(h ^ this.probeWords[0]!, 0x01000193);
      h = Math.imul(h ^ this.probeWords[1]!, 0x01000193);
    }
    const mask = this.table.length - 1;
    for (let slot = (h ^ (h >>> 15)) & mask; ; slot = (slot + 1) & mask) {
      const v = this.table[slot]!;
      if (v === -1) {
        if (this.count * w === this.data.length) this.grow();
        this.data.set(src.subarray(at, at + w), this.count * w);
        this.table[slot] = this.count++;
        if (this.count * 2 > this.table.length) this.rehash();
        return (this.count - 1) * w;
      }
      if (this.same(v, src, at)) return v * w;
    }
  }

  values(): Float64Array {
    return this.data.subarray(0, this.count * this.width);
  }

  private same(v: number, src: Float64Array, at: number): boolean {
    const w = this.width;
    for (let k = 0; k < w; k++) {
      this.probe[0] = src[at + k]!;
      if (this.words[2 * (v * w + k)] !== this.probeWords[0] || this.words[2 * (v * w + k) + 1] !== this.probeWords[1]) return false;
    }
    return true;
  }

  private grow(): void {
    const bigger = new Float64Array(this.data.length * 2);
    bigger.set(this.data);
    this.data = bigger;
    this.words = new Uint32Array(bigger.buffer);
  }

  private rehash(): void {
    const w = this.width;
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let v = 0; v < this.count; v++) {
      let h = 0x811c9dc5;
      for (let k = 0; k < 2 * w; k++) h = Math.imul(h ^ this.words[2 * v * w + k]!, 0x01000193);
      let slot = (h ^ (h >>> 15)) & mask;
      while (table[slot] !== -1) slot = (slot + 1) & mask;
      table[slot] = v;
    }
    this.table = table;
  }
}
