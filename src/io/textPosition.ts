// Offsets in a text -> 1-based line and column.

/**
 * 1-based line and column of the UTF-16 index `pos` in `text`.
 * Line breaks are LF, CRLF and lone CR. The column counts Unicode code points
 * (a surrogate pair is one column), so it matches what editors show.
 */
export function lineColumnAt(text: string, pos: number): { line: number; column: number } {
  if (pos > text.length) pos = text.length;
  if (pos < 0) pos = 0;
  let line = 1;
  let lineStart = 0;
  const cr = text.indexOf("\r");
  if (cr === -1 || cr >= pos) {
    // Only LF line ends before pos: indexOf is much faster than a char loop.
    let i = text.indexOf("\n");
    while (i !== -1 && i < pos) {
      line++;
      lineStart = i + 1;
      i = text.indexOf("\n", lineStart);
    }
  } else {
    for (let k = 0; k < pos; k++) {
      const c = text.charCodeAt(k);
      if (c === 0x0a) {
        line++;
        lineStart = k + 1;
      } else if (c === 0x0d) {
        if (text.charCodeAt(k + 1) === 0x0a) {
          if (k + 1 >= pos) break; // pos is on the LF of a CRLF: still this line
          k++;
        }
        line++;
        lineStart = k + 1;
      }
    }
  }
  let column = 1;
  for (let k = lineStart; k < pos; k++) {
    const c = text.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff && k + 1 < pos) {
      const d = text.charCodeAt(k + 1);
      if (d >= 0xdc00 && d <= 0xdfff) k++; // a surrogate pair is one column
    }
    column++;
  }
  return { line, column };
}
