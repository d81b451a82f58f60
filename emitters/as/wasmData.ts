// Adds one active data segment (memory 0, constant offset) to a WebAssembly binary: the model's tables, placed below
// the static data asc compiled (asc --memoryBase). Rewrites only the data section (id 11) and, when present, the data
// count section (id 12); every other byte is kept. https://webassembly.github.io/spec/core/binary/modules.html

const SEC_CODE = 10;
const SEC_DATA = 11;
const SEC_DATACOUNT = 12;

function readU32(b: Uint8Array, at: number): [value: number, next: number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    const byte = b[at++];
    if (byte === undefined) throw new Error("wasm: truncated LEB128");
    v += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [v, at];
    shift += 7;
    if (shift > 28) throw new Error("wasm: LEB128 too long");
  }
}

function u32(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) byte |= 0x80;
    out.push(byte);
  } while (v > 0);
  return out;
}

function i32(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

interface Section {
  id: number;
  /** bytes of the whole section (id, size, content) */
  start: number;
  contentStart: number;
  end: number;
}

function sections(wasm: Uint8Array): Section[] {
  if (wasm.length < 8 || wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) throw new Error("wasm: bad magic");
  const out: Section[] = [];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at]!;
    const [size, contentStart] = readU32(wasm, at + 1);
    out.push({ id, start: at, contentStart, end: contentStart + size });
    at = contentStart + size;
  }
  if (at !== wasm.length) throw new Error("wasm: section overruns the module");
  return out;
}

function section(id: number, content: ArrayLike<number>): Uint8Array {
  const head = [id, ...u32(content.length)];
  const out = new Uint8Array(head.length + content.length);
  out.set(head);
  out.set(content as Uint8Array, head.length);
  return out;
}

/** The module with `bytes` written at address `offset` of memory 0 at instantiation. */
export function addDataSegment(wasm: Uint8Array, offset: number, bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (bytes.length === 0) return wasm.slice();
  const secs = sections(wasm);
  const data = secs.find((s) => s.id === SEC_DATA);
  const segment = [0x00, 0x41, ...i32(offset), 0x0b, ...u32(bytes.length)];
  let count = 0;
  let rest: Uint8Array = new Uint8Array(0);
  if (data) {
    const [n, after] = readU32(wasm, data.contentStart);
    count = n;
    rest = wasm.subarray(after, data.end);
  }
  // appended: existing segments keep their indices (memory.init / data.drop refer to them)
  const countBytes = u32(count + 1);
  const content = new Uint8Array(countBytes.length + rest.length + segment.length + bytes.length);
  content.set(countBytes, 0);
  content.set(rest, countBytes.length);
  content.set(segment, countBytes.length + rest.length);
  content.set(bytes, countBytes.length + rest.length + segment.length);
  const newData = section(SEC_DATA, content);
  const parts: Uint8Array[] = [wasm.subarray(0, 8)];
  let placed = false;
  for (const s of secs) {
    if (s.id === SEC_DATA) {
      parts.push(newData);
      placed = true;
      continue;
    }
    if (s.id === SEC_DATACOUNT) {
      parts.push(section(SEC_DATACOUNT, u32(count + 1)));
      continue;
    }
    parts.push(wasm.subarray(s.start, s.end));
    // no data section yet: it goes right after the code section
    if (s.id === SEC_CODE && !data) {
      parts.push(newData);
      placed = true;
    }
  }
  if (!placed) throw new Error("wasm: module without a code section");
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
