/**
 * `check` as a cell sees it (typed from dist/teach, as the kernel makes it resident): Tab completes
 * the exercises, Shift-Tab shows each one's doc comment, and a stub type-checks in strict mode.
 * Needs `dist/` built.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createCellEvaluator } from "../../src/eval/index.js";
import { check } from "../../src/teach/index.js";
import * as tf from "../../src/tf.js";

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist");
const ev = createCellEvaluator({
  cwd: dist,
  residents: [
    { name: "tf", value: tf, typesFrom: path.join(dist, "tf.d.ts") },
    { name: "check", value: check, typesFrom: `${path.join(dist, "teach/index.d.ts")}#check` },
  ],
  interruptFlag: new Int32Array(new SharedArrayBuffer(4)),
});
beforeAll(async () => {
  await ev.warmUp();
});
afterAll(() => ev.dispose?.());

describe("check in a cell", () => {
  test("a stub type-checks and runs; its check is the cell's value", async () => {
    const r = await ev.execute(
      "function mySoftmax(scores: tf.Tensor): tf.Tensor {\n  return check.todo();\n}\ncheck.softmax(mySoftmax)",
    );
    expect(r.status).toBe("ok");
    expect(String(r.status === "ok" && r.value)).toMatch(/^✎ softmax: not done yet\./);
  });

  test("a wrong signature is a type error in the cell, before anything runs", async () => {
    const r = await ev.execute("check.softmax((a: number) => a)");
    expect(r.status).toBe("error");
    expect(r.status === "error" && r.evalue).toMatch(/not assignable/);
  });

  test("Tab lists the exercises and helpers; Shift-Tab shows an exercise's doc comment", async () => {
    expect((await ev.complete("check.so", 8)).matches).toEqual(
      expect.arrayContaining(["softmax", "softTargets", "solution"]),
    );
    expect((await ev.complete('check.hint("cross', 17)).matches).toEqual(["crossEntropy"]);
    const softmax = await ev.inspect("check.softmax", 13, 0);
    expect(softmax.text).toContain("Exercise 02·1: softmax of every row of a score matrix.");
    expect(softmax.text).toContain("check.softmax(mySoftmax)");
    expect((await ev.inspect("check.hint", 10, 0)).text).toContain("The next hint for an exercise");
  });
});
