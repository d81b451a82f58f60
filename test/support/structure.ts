// Structural checks of generated code on ts-morph syntax trees (what it imports, which globals it names, where
// strings from the model file appear), used by test/generatedStructure.test.ts and tested there on bad snippets.

import { Project, ts } from "ts-morph";

/**
 * What a file is, which decides what it may import:
 * - module: a compiled model (`modelc compile`): imports nothing;
 * - runtime: a bundle's shared runtime chunk: imports nothing;
 * - chunk: a bundle's model chunk: at most one static import, of its runtime chunk (none if it needs no runtime function);
 * - index: a bundle's index.js: only `import()` of its own chunks, and of itself (`loadModel(…, { reload })`);
 * - dts: a bundle's index.d.ts: imports nothing.
 */
export type FileKind = "module" | "runtime" | "chunk" | "index" | "dts";

export interface ImportRules {
  /** chunk: the one module specifier it may import ("./runtime.<hash>.js") */
  runtime?: string;
  /** index: the specifiers it may `import()` ("./<chunk file>") */
  chunks?: ReadonlySet<string>;
}

export interface GlobalRules {
  /** globals that may be named in value positions */
  values: ReadonlySet<string>;
  /** globals that may be named in type positions only (TypeScript's lib types) */
  types: ReadonlySet<string>;
  /** globals named always and only by the forbidden rule (listed in messages as such) */
  forbidden: ReadonlySet<string>;
}

/** A parsed file and the binder's view of it: a symbol is local when one of its declarations is in this file. */
export interface Parsed {
  sf: ts.SourceFile;
  checker: ts.TypeChecker;
}

/**
 * One in-memory ts-morph project without lib files (`noLib`): a name the file does not declare resolves to
 * nothing, so "global" is exactly "not declared in this file". Files are parsed one at a time and forgotten
 * (a program over all generated modules at once would hold every tree in memory).
 */
export class StructureParser {
  private readonly project = new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    skipAddingFilesFromTsConfig: true,
    compilerOptions: { noLib: true, noResolve: true, allowJs: true, types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  });
  private n = 0;

  /** Runs `fn` on `text` parsed as a file named like `name` (its extension decides .ts / .js / .d.ts). */
  with<T>(name: string, text: string, fn: (p: Parsed) => T): T {
    const file = this.project.createSourceFile(`/f${this.n++}/${name.replace(/[^\w.-]/g, "_")}`, text, { overwrite: true });
    try {
      return fn({ sf: file.compilerNode, checker: this.project.getTypeChecker().compilerObject });
    } finally {
      this.project.removeSourceFile(file);
    }
  }
}

function where(sf: ts.SourceFile, node: ts.Node | number): string {
  const pos = typeof node === "number" ? node : node.getStart(sf);
  const { line, character } = sf.getLineAndCharacterOfPosition(pos);
  return `${line + 1}:${character + 1}`;
}

function snippet(sf: ts.SourceFile, node: ts.Node): string {
  const t = node.getText(sf).replace(/\s+/g, " ");
  return t.length > 80 ? t.slice(0, 77) + "..." : t;
}

function walk(node: ts.Node, fn: (n: ts.Node) => void): void {
  fn(node);
  ts.forEachChild(node, (c) => walk(c, fn));
}

function isDynamicImport(n: ts.Node): n is ts.CallExpression {
  return ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword;
}

/** `new URL(import.meta.url)`: the only non-literal argument index.js gives `import()` (its own URL, to reload). */
function isOwnUrl(e: ts.Expression | undefined): boolean {
  if (!e || !ts.isNewExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== "URL") return false;
  const arg = e.arguments?.length === 1 ? e.arguments[0] : undefined;
  return (
    arg !== undefined &&
    ts.isPropertyAccessExpression(arg) &&
    arg.name.text === "url" &&
    ts.isMetaProperty(arg.expression) &&
    arg.expression.keywordToken === ts.SyntaxKind.ImportKeyword &&
    arg.expression.name.text === "meta"
  );
}

/**
 * Everything that loads code: static imports and re-exports, `import()`, `import x = require()`, `import("x")`
 * types, `require(…)` calls and triple-slash references. What each kind may do is in FileKind.
 */
export function importViolations({ sf, checker }: Parsed, kind: FileKind, rules: ImportRules = {}): string[] {
  const out: string[] = [];
  let staticImports = 0;
  for (const ref of [...sf.referencedFiles, ...sf.typeReferenceDirectives, ...sf.libReferenceDirectives])
    out.push(`triple-slash reference to ${JSON.stringify(ref.fileName)}`);
  walk(sf, (n) => {
    if (ts.isImportDeclaration(n)) {
      const spec = ts.isStringLiteral(n.moduleSpecifier) ? n.moduleSpecifier.text : undefined;
      staticImports++;
      const typeOnly = n.importClause?.isTypeOnly === true;
      if (kind === "chunk" && spec !== undefined && spec === rules.runtime && !typeOnly && staticImports === 1) return;
      out.push(`${where(sf, n)} static import: ${snippet(sf, n)}`);
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier) {
      out.push(`${where(sf, n)} re-export from another module: ${snippet(sf, n)}`);
    } else if (ts.isImportEqualsDeclaration(n)) {
      out.push(`${where(sf, n)} import = : ${snippet(sf, n)}`);
    } else if (ts.isImportTypeNode(n)) {
      out.push(`${where(sf, n)} import() type: ${snippet(sf, n)}`);
    } else if (isDynamicImport(n)) {
      const arg = n.arguments.length === 1 ? n.arguments[0]! : undefined;
      if (kind === "index" && arg) {
        if (ts.isStringLiteral(arg) && rules.chunks?.has(arg.text)) return;
        // import(self.href) where `const self = new URL(import.meta.url)` (the loader importing itself again)
        if (ts.isPropertyAccessExpression(arg) && arg.name.text === "href" && ts.isIdentifier(arg.expression)) {
          const decl = checker.getSymbolAtLocation(arg.expression)?.valueDeclaration;
          if (
            decl &&
            decl.getSourceFile() === sf &&
            ts.isVariableDeclaration(decl) &&
            (decl.parent.flags & ts.NodeFlags.Const) !== 0 &&
            isOwnUrl(decl.initializer)
          )
            return;
        }
      }
      out.push(`${where(sf, n)} dynamic import: ${snippet(sf, n)}`);
    } else if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "require") {
      out.push(`${where(sf, n)} require call: ${snippet(sf, n)}`);
    }
  });
  return out;
}

/** Identifier positions that name no variable or type: member names, object-literal keys, labels, `import.meta`. */
function isNotAReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if ((ts.isPropertyAccessExpression(p) || ts.isMetaProperty(p)) && p.name === id) return true;
  if (ts.isQualifiedName(p) && p.right === id) return true;
  if (ts.isPropertyAssignment(p) && p.name === id) return true;
  if (
    (ts.isMethodDeclaration(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isPropertySignature(p) ||
      ts.isMethodSignature(p) ||
      ts.isGetAccessor(p) ||
      ts.isSetAccessor(p) ||
      ts.isEnumMember(p)) &&
    p.name === id
  )
    return true;
  if ((ts.isLabeledStatement(p) || ts.isBreakStatement(p) || ts.isContinueStatement(p)) && p.label === id) return true;
  if (ts.isBindingElement(p) && p.propertyName === id) return true;
  // `import { decodeF64 as D }`: decodeF64 names an export of the other module (the import itself is checked apart)
  if (ts.isImportSpecifier(p) && p.propertyName === id) return true;
  // `export { table as __table }`: __table is the name other modules see
  if (ts.isExportSpecifier(p) && p.propertyName !== undefined && p.name === id) return true;
  // `as const`
  if (ts.isTypeReferenceNode(p) && ts.isConstTypeReference(p)) return true;
  return false;
}

/** A name in a type: `x: ArrayLike<number>`, `interface I extends Base`. */
function isTypePosition(id: ts.Identifier): boolean {
  let n: ts.Node = id;
  while (ts.isQualifiedName(n.parent) && n.parent.left === n) n = n.parent;
  const p = n.parent;
  if (ts.isTypeReferenceNode(p) && p.typeName === n) return true;
  return ts.isExpressionWithTypeArguments(p) && ts.isHeritageClause(p.parent) && ts.isInterfaceDeclaration(p.parent.parent);
}

/** The symbol a name refers to (for `{ x }` and `export { x }`, the variable x, not the property or export). */
function referencedSymbol(checker: ts.TypeChecker, id: ts.Identifier): ts.Symbol | undefined {
  const p = id.parent;
  if (ts.isShorthandPropertyAssignment(p) && p.name === id) return checker.getShorthandAssignmentValueSymbol(p);
  if (ts.isExportSpecifier(p)) return checker.getExportSpecifierLocalTargetSymbol(p);
  return checker.getSymbolAtLocation(id);
}

/** Every name that refers to nothing declared in the file, with whether it is in a type position. */
export function globalReferences({ sf, checker }: Parsed): { name: string; type: boolean; node: ts.Identifier }[] {
  const out: { name: string; type: boolean; node: ts.Identifier }[] = [];
  walk(sf, (n) => {
    if (!ts.isIdentifier(n) || isNotAReference(n)) return;
    const s = referencedSymbol(checker, n);
    if (s?.declarations?.some((d) => d.getSourceFile() === sf)) return;
    out.push({ name: n.text, type: isTypePosition(n), node: n });
  });
  return out;
}

/**
 * Names of globals outside the allow-list (values and types apart), and computed members of a global
 * (`Math[k]` reaches any property, `constructor` included).
 */
export function globalViolations(p: Parsed, rules: GlobalRules, used?: Set<string>): string[] {
  const out: string[] = [];
  for (const g of globalReferences(p)) {
    used?.add(g.name);
    const at = where(p.sf, g.node);
    if (rules.forbidden.has(g.name)) out.push(`${at} forbidden global ${g.name}`);
    else if (g.type ? !rules.types.has(g.name) && !rules.values.has(g.name) : !rules.values.has(g.name))
      out.push(`${at} global ${g.name} ${g.type ? "(type)" : "(value)"} is not on the allow-list`);
    else if (!g.type && ts.isElementAccessExpression(g.node.parent) && g.node.parent.expression === g.node)
      out.push(`${at} computed member of global ${g.name}: ${snippet(p.sf, g.node.parent)}`);
  }
  return out;
}

/** Property names that reach constructors, prototypes or callers (`x.constructor.constructor("code")()`). */
export const REFLECTIVE_MEMBERS: ReadonlySet<string> = new Set([
  "constructor",
  "prototype",
  "__proto__",
  "caller",
  "callee",
  "arguments",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
]);

export interface ConstructRules {
  /** allow `import.meta` (index.js finds its own URL with it) */
  importMeta?: boolean;
  /** allow template literals with substitutions (none of the printers writes one) */
  templates?: boolean;
}

/**
 * Constructs generated code has no use for, each a way around the checks above: `this` (the global object in
 * sloppy code), `with`, `debugger`, `new.target`/`import.meta`, reflective members, and template literals with
 * substitutions or tags (strings are printed as plain literals).
 */
export function constructViolations({ sf }: Parsed, rules: ConstructRules = {}): string[] {
  const out: string[] = [];
  walk(sf, (n) => {
    const bad = (what: string) => out.push(`${where(sf, n)} ${what}: ${snippet(sf, n)}`);
    if (n.kind === ts.SyntaxKind.ThisKeyword) bad("this");
    else if (ts.isWithStatement(n)) bad("with statement");
    else if (ts.isDebuggerStatement(n)) bad("debugger statement");
    else if (ts.isMetaProperty(n) && !(rules.importMeta && n.keywordToken === ts.SyntaxKind.ImportKeyword)) bad("meta property");
    else if ((ts.isTemplateExpression(n) || ts.isTaggedTemplateExpression(n)) && !rules.templates) bad("template literal with substitutions");
    else if (ts.isPropertyAccessExpression(n) && REFLECTIVE_MEMBERS.has(n.name.text)) bad("reflective member");
    else if (ts.isElementAccessExpression(n) && ts.isStringLiteralLike(n.argumentExpression) && REFLECTIVE_MEMBERS.has(n.argumentExpression.text))
      bad("reflective member");
  });
  return out;
}

/** The printers' string literal escaping (emitters/literals.ts strLit), without the quotes. */
function escapedForms(s: string): string[] {
  const json = JSON.stringify(s).slice(1, -1);
  const safe = json.replace(/[\u007f-\uffff<>]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
  return [...new Set([s, json, safe])].filter((f) => f !== "");
}

/**
 * Strings that could also be code (identifiers, keywords, numbers: `x`, `a`, `f0`): where they occur outside
 * literals says nothing, since the same text is the generator's own code (`x`, `a`). Only their presence as
 * literal values is checked for them.
 */
export function isCodeLike(s: string): boolean {
  return /^[\w$]*$/.test(s);
}

/** Model names the bundle writes into a chunk's banner comment: sanitized file names (src/bundle/discoverModels.ts, emitters/banner.ts). */
const SAFE_NAME = /^[\w.@/~-]+$/;

export interface LiteralRules {
  /** strings from the model file: model name, feature names, class labels */
  strings: readonly string[];
  /** of these, the ones that must be the value of some string literal (e.g. those in `meta`) */
  present?: readonly string[];
  /** a name that may also appear in the first line's comment (a bundle chunk's banner), if it is a safe name */
  bannerName?: string;
  /** code-like strings to look for outside literals all the same (sentinels of the hostile models) */
  sentinels?: readonly string[];
  /**
   * Text the generator copies in as is (the runtime's sources): a comment found verbatim in it is the runtime's
   * own, not printed from the model (`// XGBoost's softmax for multi:softprob` names the objective too).
   */
  fixedText?: string;
}

/** Ranges of every comment in the file: the leading and trailing trivia of every token. */
export function commentRanges(sf: ts.SourceFile): ts.CommentRange[] {
  const text = sf.getFullText();
  const seen = new Map<number, ts.CommentRange>();
  const add = (list: ts.CommentRange[] | undefined) => {
    for (const c of list ?? []) seen.set(c.pos, c);
  };
  const visit = (n: ts.Node): void => {
    add(ts.getLeadingCommentRanges(text, n.pos));
    add(ts.getTrailingCommentRanges(text, n.end));
    for (const c of n.getChildren(sf)) visit(c);
  };
  visit(sf);
  return [...seen.values()].sort((a, b) => a.pos - b.pos);
}

/**
 * Model strings appear only inside plain string literals: each occurrence of one (as is, or as the printers
 * escape it) lies strictly inside a StringLiteral or a NoSubstitutionTemplateLiteral, never in code, a
 * comment or a template with substitutions.
 */
export function literalViolations({ sf }: Parsed, rules: LiteralRules): string[] {
  const out: string[] = [];
  const ranges: [number, number][] = [];
  const values = new Set<string>();
  walk(sf, (n) => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) {
      ranges.push([n.getStart(sf) + 1, n.getEnd() - 1]);
      values.add(n.text);
    }
  });
  ranges.sort((a, b) => a[0] - b[0]);
  const inLiteral = (from: number, to: number): boolean => {
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [s, e] = ranges[mid]!;
      if (e < from) lo = mid + 1;
      else if (s > from) hi = mid - 1;
      else return to <= e;
    }
    return false;
  };
  const text = sf.getFullText();
  const firstLineEnd = text.indexOf("\n") < 0 ? text.length : text.indexOf("\n");
  const banner = text.startsWith("//") ? text.slice(0, firstLineEnd) : "";
  let comments: ts.CommentRange[] | undefined;
  const inFixedComment = (from: number, to: number): boolean => {
    if (!rules.fixedText) return false;
    comments ??= commentRanges(sf);
    const c = comments.find((r) => r.pos <= from && to <= r.end);
    return c !== undefined && rules.fixedText.includes(text.slice(c.pos, c.end));
  };
  for (const s of rules.present ?? []) if (!values.has(s)) out.push(`model string ${JSON.stringify(s)} is the value of no string literal`);
  for (const s of new Set(rules.strings)) {
    if (isCodeLike(s) && !rules.sentinels?.includes(s)) continue;
    for (const form of escapedForms(s)) {
      for (let i = text.indexOf(form); i >= 0; i = text.indexOf(form, i + 1)) {
        const end = i + form.length;
        if (inLiteral(i, end)) continue;
        if (end <= firstLineEnd && s === rules.bannerName && SAFE_NAME.test(s) && banner.includes(s)) continue;
        if (inFixedComment(i, end)) continue;
        const line = text.slice(text.lastIndexOf("\n", i) + 1, text.indexOf("\n", i) < 0 ? text.length : text.indexOf("\n", i));
        out.push(`${where(sf, i)} model string ${JSON.stringify(s)} outside a string literal: ${line.length > 120 ? line.slice(0, 117) + "..." : line}`);
      }
    }
  }
  return out;
}
