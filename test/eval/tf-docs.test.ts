/**
 * Every public name of `tf` shows doc text on Shift-Tab: each name that Tab lists after `tf.`,
 * `tf.layers.`, `tf.train.`, `tf.losses.`, `tf.metrics.` (and the other namespaces) and after a
 * Tensor, a LayersModel, a Sequential model or an optimizer, inspected as the kernel inspects it.
 */
import { describe, expect, test } from "vitest";
import path from "node:path";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { CellChecker } from "../../src/eval/checker.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const tfTypes = path.join(root, "dist", "tf.d.ts");
if (!existsSync(tfTypes)) throw new Error(`${tfTypes} is missing: build first (npx tsc -p tsconfig.json)`);
const tf = (await import(path.join(root, "dist", "tf.js"))) as Record<string, unknown>;
const checker = new CellChecker(ts, { cwd: here, residents: [{ name: "tf", typesFrom: tfTypes }] });

/** Where Tab lists the names to document: the code up to the dot. */
const places: Record<string, string> = {
  tf: "tf.",
  "tf.layers": "tf.layers.",
  "tf.train": "tf.train.",
  "tf.losses": "tf.losses.",
  "tf.metrics": "tf.metrics.",
  "tf.initializers": "tf.initializers.",
  "tf.regularizers": "tf.regularizers.",
  "tf.callbacks": "tf.callbacks.",
  "tf.io": "tf.io.",
  "tf.util": "tf.util.",
  "tf.datasets": "tf.datasets.",
  "tf.node": "tf.node.",
  Tensor: "declare const someTensor: tf.Tensor;\nsomeTensor.",
  Variable: "declare const someVariable: tf.Variable;\nsomeVariable.",
  LayersModel: "declare const someModel: tf.LayersModel;\nsomeModel.",
  Sequential: "declare const someSequential: tf.Sequential;\nsomeSequential.",
  Optimizer: "declare const someOptimizer: tf.Optimizer;\nsomeOptimizer.",
};

function names(prefix: string): string[] {
  return checker.complete(prefix, prefix.length, "typescript").matches;
}

/** The doc text Shift-Tab shows for `name` after `prefix` (the part after the signature). */
function docOf(prefix: string, name: string): string {
  const code = prefix + name;
  const r = checker.inspect(code, code.length, 0, "typescript");
  return r.found ? r.text.split("\n\n").slice(1).join("\n\n").trim() : "";
}

describe("every public name has doc text", () => {
  test.each(Object.entries(places))("%s", (_place, prefix) => {
    const listed = names(prefix);
    expect(listed.length).toBeGreaterThan(0);
    const undocumented = listed.filter((n) => docOf(prefix, n) === "");
    expect(undocumented, `no doc text on Shift-Tab after ${JSON.stringify(prefix)}`).toEqual([]);
  });

  test("Tab after tf. lists every name the runtime tf has", () => {
    const listed = new Set(names(places.tf!));
    expect(Object.keys(tf).filter((k) => !listed.has(k))).toEqual([]);
  });

  test("the docs are what a user needs: tf.layers.dense, tf.train.adam and model.fit", () => {
    expect(docOf("tf.layers.", "dense")).toMatch(/fully connected|dense/i);
    expect(docOf("tf.train.", "adam")).toMatch(/Adam/);
    const fit = docOf(places.Sequential!, "fit");
    expect(fit).toMatch(/epochs/);
    expect(fit).toMatch(/@example|await model\.fit/);
  });
});
