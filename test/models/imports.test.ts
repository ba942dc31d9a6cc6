/** src/models' files import each other one way: no file reaches itself through its imports (type imports included). */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { expect, test } from "vitest";

const root = resolve(import.meta.dirname, "../../src/models");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

test("src/models has no import cycles", () => {
  const files = sources(root);
  const deps = new Map(
    files.map((f) => {
      const text = readFileSync(f, "utf8");
      const targets = [...text.matchAll(/(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"/gs)]
        .map((m) => resolve(dirname(f), m[1].replace(/\.js$/, ".ts")))
        .filter((d) => files.includes(d));
      return [f, targets];
    }),
  );
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (f: string) => {
    state.set(f, "open");
    path.push(f);
    for (const d of deps.get(f) ?? []) {
      if (state.get(d) === "open")
        cycles.push([...path.slice(path.indexOf(d)), d].map((p) => relative(root, p)).join(" → "));
      else if (!state.has(d)) visit(d);
    }
    path.pop();
    state.set(f, "done");
  };
  for (const f of files) if (!state.has(f)) visit(f);
  expect(cycles).toEqual([]);
});
