import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CompileError } from "../../src/errors.ts";
import { parseRowsCsv, parseRowsJson, type Rows } from "../../src/io/readRows.ts";

function catchError(f: () => unknown): CompileError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CompileError);
    return e as CompileError;
  }
  throw new Error("expected a CompileError, nothing was thrown");
}

/** Values as nested arrays, for readable comparisons (toEqual: NaN == NaN, -0 != 0). */
function matrix(r: Rows): number[][] {
  expect(r.rows.length).toBe(r.nRows * r.nCols);
  expect(r.header.length).toBe(r.nCols);
  const out: number[][] = [];
  for (let i = 0; i < r.nRows; i++) out.push(Array.from(r.rows.subarray(i * r.nCols, (i + 1) * r.nCols)));
  return out;
}

function csvQuote(s: string): string {
  return '"' + s.replace(/"/g, '""') + '"';
}

describe("parseRowsCsv: values", () => {
  it("reads a header and numeric rows", () => {
    const r = parseRowsCsv("a,b,c\n1,2.5,-3e2\n0.1,1e-320,7\n", "rows.csv");
    expect(r.header).toEqual(["a", "b", "c"]);
    expect(r.nRows).toBe(2);
    expect(r.nCols).toBe(3);
    expect(r.rows).toBeInstanceOf(Float64Array);
    expect(matrix(r)).toEqual([
      [1, 2.5, -300],
      [0.1, 1e-320, 7],
    ]);
  });

  it("maps missing-value spellings to NaN", () => {
    const r = parseRowsCsv('a,b,c,d,e,f,g,h\n,nan,NaN,NA,"",NAN,-nan," "\n');
    expect(matrix(r)).toEqual([[NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]]);
  });

  it("maps infinity spellings (any case) to ±Infinity", () => {
    const r = parseRowsCsv("a,b,c,d,e,f,g,h\ninf,+inf,-inf,Infinity,-Infinity,INF,+INFINITY,-iNf\n");
    expect(matrix(r)).toEqual([[Infinity, Infinity, -Infinity, Infinity, -Infinity, Infinity, Infinity, -Infinity]]);
  });

  it("keeps the sign of zero", () => {
    const r = parseRowsCsv("a,b,c,d,e,f\n-0,-0.0,0,-0e5,+0,-.0\n");
    const v = Array.from(r.rows);
    expect(v.map((x) => Object.is(x, -0))).toEqual([true, true, false, true, false, true]);
  });

  it("parses numbers exactly like Number()", () => {
    const lits = [
      "0.1",
      "0.30000000000000004",
      "1e23",
      "8.98846567431158e307",
      "1.7976931348623157e308",
      "1.7976931348623159e308",
      "2.2250738585072011e-308",
      "2.2250738585072014e-308",
      "5e-324",
      "2.4703282292062327e-324",
      "2.4703282292062328e-324",
      "9007199254740993",
      "123456789012345678",
      "0.000001",
      "1.",
      ".5",
      "+7",
      "007",
      "1E5",
      "1e+5",
      "1e-5",
      "3.141592653589793238462643383279",
      "1e400",
      "-1e400",
      "1e-400",
      "100000000000000000000000",
      "12345678901234.5",
    ];
    const r = parseRowsCsv(lits.map((_, i) => `c${i}`).join(",") + "\n" + lits.join(","));
    lits.forEach((s, i) => expect(Object.is(r.rows[i], Number(s)), s).toBe(true));
  });

  it("parses random decimal literals exactly like Number() (property)", () => {
    const digits = (max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: max }).map((d) => d.join(""));
    const literal = fc
      .tuple(
        fc.constantFrom("", "-", "+"),
        digits(25),
        fc.boolean(),
        digits(25),
        fc.option(fc.tuple(fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), fc.integer({ min: 0, max: 400 }))),
      )
      .map(([sign, a, dot, b, e]) => sign + a + (dot ? "." + b : "") + (e ? e[0] + e[1] + e[2] : ""))
      .filter((s) => /[0-9]/.test(s.replace(/[eE].*$/, "")));
    fc.assert(
      fc.property(fc.array(literal, { minLength: 1, maxLength: 8 }), (lits) => {
        const r = parseRowsCsv(lits.map((_, i) => `c${i}`).join(",") + "\n" + lits.join(",") + "\n");
        lits.forEach((s, i) => expect(Object.is(r.rows[i], Number(s)), s).toBe(true));
      }),
      { numRuns: 500 },
    );
  });

  it("handles quoting, CRLF, a BOM and an optional final line end", () => {
    const r = parseRowsCsv('\uFEFF"a,1","b ""x""","c\r\nd"\r\n"1",2,"-3"\r\n4,5,6');
    expect(r.header).toEqual(["a,1", 'b "x"', "c\r\nd"]);
    expect(matrix(r)).toEqual([
      [1, 2, -3],
      [4, 5, 6],
    ]);
    expect(parseRowsCsv("a\n1\n").nRows).toBe(1);
    expect(parseRowsCsv("a\n1").nRows).toBe(1);
    expect(parseRowsCsv("a,b").nRows).toBe(0);
    expect(parseRowsCsv("a,b\n").nRows).toBe(0);
    // one column: an empty line is a row with a missing value
    expect(matrix(parseRowsCsv("x\n1\n\n2\n\n"))).toEqual([[1], [NaN], [2], [NaN]]);
    // surrounding blanks around a number are ignored
    expect(matrix(parseRowsCsv("a,b\n 1 ,\t2\n"))).toEqual([[1, 2]]);
  });

  it("round-trips random doubles (incl. -0, subnormals, NaN, ±Inf) through CSV text (property)", () => {
    const nan = fc.constantFrom("", "nan", "NaN", "NA", "NAN", '""', '"nan"', "-nan");
    const posInf = fc.constantFrom("inf", "+inf", "Infinity", "INF", "+Infinity", "infinity", '"inf"');
    const negInf = fc.constantFrom("-inf", "-Infinity", "-INF", "-infinity");
    /** several exact spellings of a finite double */
    const finite = (x: number, style: number): string => {
      if (Object.is(x, -0)) return ["-0", "-0.0", "-0e0", "-.0", '"-0"'][style % 5]!;
      const exp = x.toExponential(); // shortest digits that round-trip
      const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(exp)!;
      const digits = m[2] + (m[3] ?? "");
      const e10 = Number(m[4]) - (digits.length - 1);
      switch (style % 6) {
        case 0:
          return String(x);
        case 1:
          return exp;
        case 2:
          return `${m[1]}${digits}e${e10}`; // integer mantissa: same rational value
        case 3:
          return `${m[1]}0${digits}E${e10}`.replace(/^(-?)0(\d)/, "$10$2"); // leading zero
        case 4:
          return csvQuote(String(x));
        default:
          return (x > 0 ? "+" : "") + exp.toUpperCase();
      }
    };
    const cell = fc.tuple(fc.double(), fc.nat(), nan, posInf, negInf).map(([x, style, n, pi, ni]) => {
      const text = Number.isNaN(x) ? n : x === Infinity ? pi : x === -Infinity ? ni : finite(x, style);
      return { x, text };
    });
    const headerName = fc.string({ unit: "grapheme", maxLength: 6 });
    const table = fc
      .integer({ min: 1, max: 5 })
      .chain((nCols) =>
        fc.tuple(
          fc.array(headerName, { minLength: nCols, maxLength: nCols }),
          fc.array(fc.array(cell, { minLength: nCols, maxLength: nCols }), { maxLength: 8 }),
          fc.constantFrom("\n", "\r\n"),
          fc.boolean(),
        ),
      );
    fc.assert(
      fc.property(table, ([names, rows, eol, finalEol]) => {
        const nCols = names.length;
        const lines = [names.map(csvQuote).join(","), ...rows.map((r) => r.map((c) => c.text).join(","))];
        // "x\n1\n" has one row; a last row that is one empty field needs its line end
        const lastEmpty = rows.length > 0 && nCols === 1 && rows[rows.length - 1]![0]!.text === "";
        const text = lines.join(eol) + (finalEol || lastEmpty ? eol : "");
        const r = parseRowsCsv(text);
        expect(r.header).toEqual(names);
        expect(r.nCols).toBe(nCols);
        expect(r.nRows).toBe(rows.length);
        expect(matrix(r)).toEqual(rows.map((row) => row.map((c) => c.x)));
      }),
      { numRuns: 500 },
    );
  });

  it("is fast for 100k rows", () => {
    const nCols = 20;
    const lines = [Array.from({ length: nCols }, (_, j) => `f${j}`).join(",")];
    let seed = 7;
    for (let r = 0; r < 100_000; r++) {
      const row: string[] = [];
      for (let j = 0; j < nCols; j++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const x = seed / 0x80000000;
        row.push(x < 0.05 ? "" : x < 0.5 ? String((x - 0.25) * 1000) : String(Math.floor(x * 100)));
      }
      lines.push(row.join(","));
    }
    const text = lines.join("\n");
    const t0 = performance.now();
    const r = parseRowsCsv(text);
    const ms = performance.now() - t0;
    expect(r.nRows).toBe(100_000);
    expect(r.rows[(r.nRows - 1) * nCols + nCols - 1]).toEqual(Number(lines[100_000]!.split(",")[nCols - 1] || NaN));
    expect(ms).toBeLessThan(5000); // ~0.3 s on a slow machine
  });
});

describe("parseRowsCsv: errors", () => {
  it("rejects garbage values with E_INPUT, line and column", () => {
    const bad = [
      "1.2.3",
      "0x10",
      "12abc",
      "1e",
      "1e+",
      ".",
      "-",
      "+",
      "e5",
      "1 2",
      "Infinityx",
      "0b1",
      "1_000",
      "--1",
      "nan1",
      "abc",
      "1,5".slice(0, 0) + "١",
      "N/A",
      "null",
      '"1.2.3"',
    ];
    for (const v of bad) {
      const e = catchError(() => parseRowsCsv(`a,b,c\n1,2,3\n4,${v},6\n`, "in.csv"));
      expect(e.code, v).toBe("E_INPUT");
      expect(e.location, v).toEqual({ file: "in.csv", line: 3, column: 2 });
      expect(e.message, v).toMatch(/^row 2, column 2 \("b"\): .* is not a number$/);
    }
  });

  it("rejects wrong field counts", () => {
    let e = catchError(() => parseRowsCsv("a,b,c,d,e\n1,2,3,4,5\n1,2,3,4,5\n1,2,3,4,5\n1,2,3,4,5\n1,2,3,4,5\n1,2,3,4,5\n1,2,3,4\n", "r.csv"));
    expect(e.code).toBe("E_INPUT");
    expect(e.message).toBe("row 7 has 4 fields, expected 5");
    expect(e.location).toEqual({ file: "r.csv", line: 8, column: 5 });
    e = catchError(() => parseRowsCsv("a,b\n1,2,3\n"));
    expect(e.message).toBe("row 1 has 3 fields, expected 2");
    expect(e.location).toMatchObject({ line: 2, column: 3 });
    e = catchError(() => parseRowsCsv("a,b\n1,2\n\n3,4\n"));
    expect(e.message).toBe("row 2 has 1 field, expected 2");
    expect(e.location).toMatchObject({ line: 3, column: 2 });
    expect(e.hint).toMatch(/empty line/);
    e = catchError(() => parseRowsCsv("a,b\r\n1,2\r\n3,4,\r\n"));
    expect(e.message).toBe("row 2 has 3 fields, expected 2");
    expect(e.location).toMatchObject({ line: 3, column: 3 });
  });

  it("counts lines inside quoted fields", () => {
    let e = catchError(() => parseRowsCsv('"a\nb","c\r\nd"\n1,2\n3,x\n'));
    expect(e.code).toBe("E_INPUT");
    expect(e.location).toMatchObject({ line: 5, column: 2 });
    // a quoted value may not hide a line break inside a number
    e = catchError(() => parseRowsCsv('a,b\n"1\n",2\n'));
    expect(e.code).toBe("E_INPUT");
    expect(e.location).toMatchObject({ line: 2, column: 1 });
  });

  it("rejects broken quoting with E_PARSE", () => {
    let e = catchError(() => parseRowsCsv('a,b\n1,"2\n3,4\n', "q.csv"));
    expect(e.code).toBe("E_PARSE");
    expect(e.message).toMatch(/unterminated quoted field 2/);
    expect(e.location).toEqual({ file: "q.csv", line: 2, column: 2 });
    e = catchError(() => parseRowsCsv('a,b\n1,"2"x\n'));
    expect(e.code).toBe("E_PARSE");
    expect(e.location).toMatchObject({ line: 2, column: 2 });
    e = catchError(() => parseRowsCsv('a,b"c\n1,2\n'));
    expect(e.code).toBe("E_PARSE");
    expect(e.location).toMatchObject({ line: 1, column: 2 });
    e = catchError(() => parseRowsCsv('a,b\n1,2"\n'));
    expect(e.code).toBe("E_PARSE");
    expect(e.location).toMatchObject({ line: 2, column: 2 });
  });

  it("rejects an empty file", () => {
    expect(catchError(() => parseRowsCsv("")).code).toBe("E_INPUT");
    expect(catchError(() => parseRowsCsv("\uFEFF")).code).toBe("E_INPUT");
  });
});

describe("parseRowsJson", () => {
  it("reads an array of arrays (header f0, f1, ...)", () => {
    const r = parseRowsJson("[[1, null, -0], [NaN, Infinity, -Infinity]]");
    expect(r.header).toEqual(["f0", "f1", "f2"]);
    expect(matrix(r)).toEqual([
      [1, NaN, -0],
      [NaN, Infinity, -Infinity],
    ]);
    expect(Object.is(r.rows[2], -0)).toBe(true);
  });

  it("reads an array of objects (union of keys, missing key = NaN)", () => {
    const r = parseRowsJson('[{"a": 1, "b": 2}, {"b": 3, "c": null}, {"__proto__": 4}]');
    expect(r.header).toEqual(["a", "b", "c", "__proto__"]);
    expect(matrix(r)).toEqual([
      [1, 2, NaN, NaN],
      [NaN, 3, NaN, NaN],
      [NaN, NaN, NaN, 4],
    ]);
  });

  it("reads {columns, data} (pandas orient=split)", () => {
    const r = parseRowsJson('{"columns": ["x", "y"], "index": [0, 1], "data": [[1, 2], [null, 4]]}');
    expect(r.header).toEqual(["x", "y"]);
    expect(matrix(r)).toEqual([
      [1, 2],
      [NaN, 4],
    ]);
    const empty = parseRowsJson('{"columns": ["x"], "data": []}');
    expect(empty).toMatchObject({ header: ["x"], nRows: 0, nCols: 1 });
  });

  it("reads an empty array", () => {
    expect(parseRowsJson("[]")).toMatchObject({ header: [], nRows: 0, nCols: 0 });
  });

  it("round-trips random rows (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((n) => fc.array(fc.array(fc.double(), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 6 })),
        (rows) => {
          const text =
            "[" + rows.map((r) => "[" + r.map((x) => (Number.isNaN(x) ? "NaN" : Object.is(x, -0) ? "-0" : String(x))).join(",") + "]").join(",") + "]";
          expect(matrix(parseRowsJson(text))).toEqual(rows);
        },
      ),
    );
  });

  it("reports bad rows and values with E_INPUT and a JSON path", () => {
    const cases: [string, string, RegExp][] = [
      ["[[1, 2], [3]]", "$[1]", /row 2 has 1 value, expected 2/],
      ['[[1, 2], [3, "4"]]', "$[1][1]", /row 2, column 2 must be a number or null, found string/],
      ["[[1, true]]", "$[0][1]", /found boolean/],
      ["[[1, [2]]]", "$[0][1]", /found an array/],
      ["[[1], {}]", "$[1]", /row 2 must be an array/],
      ['[{"a": 1}, [1]]', "$[1]", /row 2 must be an object/],
      ['[{"a": "x"}]', "$[0].a", /must be a number or null/],
      ["[1, 2]", "$[0]", /row 1 must be an array of numbers or an object/],
      ['{"rows": []}', "$", /expected an array of rows/],
      ["3", "$", /expected an array of rows/],
      ['{"columns": "a", "data": []}', "$.columns", /columns must be an array/],
      ['{"columns": [true], "data": []}', "$.columns[0]", /column name 1 must be a string/],
      ['{"columns": ["a"], "data": {}}', "$.data", /data must be an array/],
      ['{"columns": ["a", "b"], "data": [[1, 2], [1]]}', "$.data[1]", /row 2 has 1 value, expected 2/],
    ];
    for (const [text, path, msg] of cases) {
      const e = catchError(() => parseRowsJson(text, "rows.json"));
      expect(e.code, text).toBe("E_INPUT");
      expect(e.location, text).toEqual({ file: "rows.json", path });
      expect(e.message, text).toMatch(msg);
    }
  });

  it("passes JSON syntax errors through as E_PARSE with line and column", () => {
    const e = catchError(() => parseRowsJson("[[1, 2],\n [3, 4,]]", "rows.json"));
    expect(e.code).toBe("E_PARSE");
    expect(e.location).toEqual({ file: "rows.json", line: 2, column: 8 });
  });
});
