#!/usr/bin/env node
// Lists import cycles among src/ modules (static imports and re-exports; `import type` is
// left out: it is erased and cannot change evaluation order). Exits 1 on a cycle that is not
// KNOWN below, so `npm run lint` fails on a new one.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const src = join(root, "src");

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return /\.ts$/.test(e.name) && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^"';]*?\sfrom\s+)?["'](\.{1,2}\/[^"']+)["']/gm;
// The core ops' gradients call each other's forward ops (sum's gradient broadcasts, broadcastTo's
// gradient sums, …). The calls run inside gradient closures, never while modules load; splitting
// gradients from their forward ops would break "one place per op", so this cycle stays, bounded
// to these files.
const KNOWN = new Set(
  ["activation-grad", "arithmetic", "creation", "linalg", "logical", "reduction", "shape", "unary"].map((f) =>
    join(src, "runtime/ops", `${f}.ts`),
  ),
);

const graph = new Map();
for (const file of files(src)) {
  const text = readFileSync(file, "utf8");
  const deps = new Set();
  for (const m of text.matchAll(IMPORT)) {
    // `import { type A, type B } from` is erased too.
    if (/^\s*import\s*\{\s*(type\s+\w+(\s+as\s+\w+)?\s*,?\s*)+\}\s*from/.test(m[0])) continue;
    deps.add(resolve(dirname(file), m[1].replace(/\.js$/, ".ts")));
  }
  graph.set(
    file,
    [...deps].filter((d) => d !== file),
  );
}

// Tarjan's strongly connected components: every component with more than one file is a cycle.
let index = 0;
const stack = [];
const info = new Map();
const components = [];
function visit(v) {
  info.set(v, { index, low: index, onStack: true });
  index++;
  stack.push(v);
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    if (!info.has(w)) {
      visit(w);
      info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
    } else if (info.get(w).onStack) info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
  }
  if (info.get(v).low === info.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      info.get(w).onStack = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1) components.push(component);
  }
}
for (const v of graph.keys()) if (!info.has(v)) visit(v);

const fresh = components.filter((c) => c.some((f) => !KNOWN.has(f)));
for (const c of fresh)
  console.log(
    `import cycle among ${c.length} files:\n  ${c
      .map((f) => relative(root, f))
      .sort()
      .join("\n  ")}`,
  );
if (fresh.length) process.exit(1);
console.log(`import cycles in src/: none but the core ops' (${KNOWN.size} files, gradients calling ops)`);
