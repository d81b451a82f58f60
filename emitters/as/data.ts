// The constant tables of generated AssemblyScript (tree nodes, leaf vectors, category bitsets, weights) as one
// little-endian byte blob. Two placements:
// - "blob": the tables live at fixed addresses below AssemblyScript's own static data (asc --memoryBase) and the blob
//   is added to the compiled module as a data segment (wasmData.ts). asc never parses the numbers: compiling a
//   2-million-node model stays fast.
// - "inline": each table is a `memory.data<i32>([...])` literal, so the source is self-contained (--target as).

export type Placement = "blob" | "inline";

/** First address of the blob: keeps address 0 unused. */
export const BLOB_BASE = 16;

export class DataBlob {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  private size = 0;
  constructor(readonly placement: Placement) {}

  /** Reserve n bytes aligned to `align`, returning the offset in the blob and a DataView over it. */
  private reserve(n: number, align: number): number {
    this.size = Math.ceil(this.size / align) * align;
    const at = this.size;
    if (at + n > this.buf.length) {
      let cap = this.buf.length;
      while (at + n > cap) cap *= 2;
      const nb = new Uint8Array(cap);
      nb.set(this.buf.subarray(0, this.size));
      this.buf = nb;
      this.view = new DataView(nb.buffer);
    }
    this.size = at + n;
    return at;
  }

  /**
   * Adds a table written by `fill(view, offset)` into `bytes` bytes (a multiple of 4) and returns the declaration of
   * a constant `name` holding its address.
   */
  table(name: string, bytes: number, align: 4 | 8, fill: (v: DataView, at: number) => void): string {
    if (bytes % 4 !== 0) throw new Error("internal: table size must be a multiple of 4");
    if (bytes === 0) return `const ${name}: usize = 0;`;
    const at = this.reserve(bytes, align);
    fill(this.view, at);
    if (this.placement === "blob") return `const ${name}: usize = ${BLOB_BASE + at};`;
    const words: string[] = [];
    for (let i = 0; i < bytes; i += 4) words.push(String(this.view.getInt32(at + i, true)));
    return `const ${name} = memory.data<i32>([${words.join(", ")}], ${align});`;
  }

  f64(name: string, values: ArrayLike<number>): string {
    return this.table(name, values.length * 8, 8, (v, at) => {
      for (let i = 0; i < values.length; i++) v.setFloat64(at + 8 * i, values[i]!, true);
    });
  }

  f32(name: string, values: ArrayLike<number>): string {
    return this.table(name, values.length * 4, 4, (v, at) => {
      for (let i = 0; i < values.length; i++) v.setFloat32(at + 4 * i, values[i]!, true);
    });
  }

  i32(name: string, values: ArrayLike<number>): string {
    return this.table(name, values.length * 4, 4, (v, at) => {
      for (let i = 0; i < values.length; i++) v.setInt32(at + 4 * i, values[i]!, true);
    });
  }

  u32(name: string, values: ArrayLike<number>): string {
    return this.table(name, values.length * 4, 4, (v, at) => {
      for (let i = 0; i < values.length; i++) v.setUint32(at + 4 * i, values[i]!, true);
    });
  }

  /** Float table of type t. */
  float(name: string, t: "f32" | "f64", values: ArrayLike<number>): string {
    return t === "f32" ? this.f32(name, values) : this.f64(name, values);
  }

  /** The blob's bytes (blob placement). */
  bytes(): Uint8Array {
    return this.placement === "blob" ? this.buf.slice(0, this.size) : new Uint8Array(0);
  }

  /** First address above the blob, 16-aligned: asc's --memoryBase. */
  end(): number {
    return this.placement === "blob" ? Math.ceil((BLOB_BASE + this.size) / 16) * 16 : 0;
  }
}
