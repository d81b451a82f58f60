// Dependency order of runtime helper files (shared by the TypeScript and AssemblyScript inliners): iterative, each once, with a real cycle check.

/**
 * The given files and everything they depend on (transitively, through `depsOf`), each once, every file after
 * its dependencies. Iterative depth-first post-order: the requested files in the given order, and the dependencies
 * of a file visited last to first (the order the inlined helpers have always had; generated code depends on it).
 * A file that depends on itself through its dependencies throws with the whole cycle (`a → b → a`); a dependency
 * that is merely pending (requested too, or required by a sibling) is not a cycle.
 */
export function dependencyOrder(files: Iterable<string>, depsOf: (file: string) => readonly string[], what = "runtime"): string[] {
  const done = new Set<string>();
  const out: string[] = [];
  for (const start of files) {
    // `expanded` entries are the current path: each one lies below the dependencies it pushed
    const stack: { file: string; expanded: boolean }[] = [{ file: start, expanded: false }];
    const onPath = new Set<string>();
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (done.has(top.file)) {
        stack.pop();
        continue;
      }
      if (!top.expanded) {
        top.expanded = true;
        onPath.add(top.file);
        for (const d of depsOf(top.file)) {
          if (onPath.has(d)) throw new Error(`${what} import cycle: ${cyclePath(stack, d)}`);
          if (!done.has(d)) stack.push({ file: d, expanded: false });
        }
        continue;
      }
      stack.pop();
      onPath.delete(top.file);
      done.add(top.file);
      out.push(top.file);
    }
  }
  return out;
}

/** `d → … → d`: the expanded entries of the stack from d up (the path that reaches d again). */
function cyclePath(stack: readonly { file: string; expanded: boolean }[], d: string): string {
  const path = stack.filter((s) => s.expanded).map((s) => s.file);
  return [...path.slice(path.indexOf(d)), d].join(" → ");
}
