// Python pickles (and joblib files): recognised so modelc can say how to export them, never unpickled here.

/** Pickle protocol 2+ starts with PROTO (0x80) and the protocol number; joblib files are pickles too. */
export function isPickle(bytes: Uint8Array, file: string): boolean {
  if (bytes[0] === 0x80 && bytes[1] !== undefined && bytes[1] >= 2 && bytes[1] <= 5) return true;
  return /\.(pkl|pickle|joblib)$/i.test(file) && bytes.length > 0 && bytes[0] !== 0x7b /* { */;
}

/** The one-line advice for a pickle: the command that exports it to a file modelc reads. */
export function pickleHint(file: string): string {
  const base = file.replace(/\.[^./\\]*$/, "");
  return `run: modelc-export ${file} -o ${base}.json (pip install ./python from modelc), or pass --python PATH`;
}
