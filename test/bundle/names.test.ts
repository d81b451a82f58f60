// Model names from file names, folder discovery, and the type printer of index.d.ts.

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chunkFileName } from "../../src/bundle/compileChunk.ts";
import { discoverModels, modelName } from "../../src/bundle/discoverModels.ts";
import { typeLit, unionLit } from "../../src/bundle/typeLit.ts";
import { indexJs } from "../../src/bundle/writeIndex.ts";

const tmp = mkdtempSync(join(tmpdir(), "modelc-names-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function files(root: string, paths: string[]): string {
  for (const p of paths) {
    mkdirSync(join(root, p, ".."), { recursive: true });
    writeFileSync(join(root, p), "{}");
  }
  return root;
}

describe("model names", () => {
  it("keep letters, digits, _ - . and folder levels; everything else becomes _", () => {
    expect(modelName("churn")).toBe("churn");
    expect(modelName("churn-v2.1")).toBe("churn-v2.1");
    expect(modelName("sub/dir/churn v2")).toBe("sub/dir/churn_v2");
    expect(modelName("sub\\win")).toBe("sub/win");
    expect(modelName(".hidden")).toBe("_hidden");
    expect(modelName('温度"<script>')).toBe("____script_");
    expect(modelName("a/../b")).toBe("a/_./b");
  });

  it("keep a version suffix @<digits> of the file name (name@version); any other @ becomes _", () => {
    expect(modelName("churn@2")).toBe("churn@2");
    expect(modelName("sub/churn@12")).toBe("sub/churn@12");
    expect(modelName("x@y/churn@2")).toBe("x_y/churn@2");
    expect(modelName("churn@2@3")).toBe("churn_2@3");
    expect(modelName("churn@v2")).toBe("churn_v2");
    expect(modelName("churn@")).toBe("churn_");
    expect(modelName("@2")).toBe("_2");
    expect(modelName("churn v@2")).toBe("churn_v@2");
    expect(modelName(".h@1")).toBe("_h@1");
    expect(modelName("churn@1234567890123456789")).toBe("churn_1234567890123456789");
  });

  it("chunk file names are flat and carry the content hash", () => {
    expect(chunkFileName("sub/churn", "0123456789abcdef0123")).toBe("sub~churn.0123456789abcdef.js");
    expect(chunkFileName("sub/churn@2", "0123456789abcdef0123", "wasm")).toBe("sub~churn@2.0123456789abcdef.wasm");
  });

  it("folders give names relative to the folder; files given by name, their base name", () => {
    const root = files(join(tmp, "m"), [
      "churn.json",
      "churn@2.json",
      "fraud.ubj",
      "rank.txt",
      "notes.md",
      "sub/churn.json",
      ".git/x.json",
      "node_modules/y.json",
      "out/index.json",
    ]);
    const extra = files(join(tmp, "x"), ["special model.bin"]);
    const found = discoverModels([root, join(extra, "special model.bin")], join(root, "out"));
    expect(found.map((f) => f.name)).toEqual(["churn", "churn@2", "fraud", "rank", "special_model", "sub/churn"]);
    expect(found.every((f) => f.bytes === 2)).toBe(true);
    // the same file twice is one model
    expect(discoverModels([root, join(root, "churn.json")], join(root, "out"))).toHaveLength(5);
  });

  it("follows symbolic links to files and folders, each folder once", () => {
    const root = files(join(tmp, "links"), ["real/a.json"]);
    symlinkSync(join(root, "real", "a.json"), join(root, "b.json"));
    symlinkSync(join(root, "real"), join(root, "again"));
    symlinkSync(root, join(root, "real", "loop"));
    symlinkSync(join(root, "missing.json"), join(root, "dangling.json"));
    // a.json is one file under three paths: the first in sorted walk order names it
    expect(discoverModels([root]).map((f) => f.name)).toEqual(["b"]);
    symlinkSync(join(root, "real", "a.json"), join(tmp, "c.json"));
    expect(discoverModels([join(tmp, "c.json")]).map((f) => f.name)).toEqual(["c"]);
  });

  it("two files with one name, an empty folder and a missing path are clear errors", () => {
    const root = files(join(tmp, "dup"), ["a b.json", "a_b.json"]);
    expect(() => discoverModels([root])).toThrow(/two model files get the name "a_b": .*a b\.json and .*a_b\.json/);
    mkdirSync(join(tmp, "empty"));
    expect(() => discoverModels([join(tmp, "empty")])).toThrow(/no model files in this folder/);
    expect(() => discoverModels([join(tmp, "nope")])).toThrow(/no such file or folder/);
  });
});

describe("index.d.ts types and index.js", () => {
  it("print data as exact, escaped literal types", () => {
    expect(typeLit({ name: "a", n: 3, x: -1.5, f: [1e-7, "b"], bad: NaN, inf: Infinity, z: -0, u: undefined })).toBe(
      `{ readonly name: "a"; readonly n: 3; readonly x: -1.5; readonly f: readonly [1e-7, "b"]; readonly bad: number; readonly inf: number; readonly z: 0 }`,
    );
    expect(typeLit({ "odd key": "</script>\u2028ü" })).toBe(String.raw`{ readonly "odd key": "\u003c/script\u003e\u2028\u00fc" }`);
    expect(unionLit([0, 1, 1])).toBe("0 | 1");
    expect(unionLit(["cat", "dog"])).toBe(`"cat" | "dog"`);
    expect(unionLit([])).toBe("never");
  });

  it("index.js lists each chunk with a literal import() so bundlers can split on it", () => {
    const js = indexJs([{ name: "sub/churn", chunk: "sub~churn.0123456789abcdef.js" }]);
    expect(js).toContain(`["sub/churn", "./sub~churn.0123456789abcdef.js", () => import("./sub~churn.0123456789abcdef.js")],`);
    expect(js).toMatch(/export function loadModel\(name, options\)/);
  });
});
