/**
 * The scalar autograd engine of notebook 02 (`class Value`), taken from the notebook's source and run
 * as it is: its gradients equal `tf.grad`'s on random expressions of every operation it has, on a
 * value used several times, and on a small tanh network.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import * as tf from "../../src/tf.js";

interface Value {
  data: number;
  grad: number;
  add(o: Value | number): Value;
  mul(o: Value | number): Value;
  pow(k: number): Value;
  tanh(): Value;
  neg(): Value;
  sub(o: Value | number): Value;
  backward(): void;
  topologicalOrder(): Value[];
}
type ValueClass = new (data: number) => Value;

/** The notebook's `class Value` cell, types stripped, evaluated. */
function valueClassFromNotebook(): ValueClass {
  const source = readFileSync(
    resolve(import.meta.dirname, "../../notebooks/src/02-backpropagation-step-by-step.md"),
    "utf8",
  );
  const cell = source
    .split("```ts\n")
    .map((block) => block.split("\n```")[0]!)
    .find((c) => c.includes("class Value {"));
  if (!cell) throw new Error("notebook 02 has no class Value cell");
  const js = ts.transpileModule(cell, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  return new Function(`${js}\nreturn Value;`)() as ValueClass;
}

/** A small deterministic random stream. */
function numbers(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return (s / 2147483647) * 2 - 1;
  };
}

describe("notebook 02's Value engine", () => {
  const Value = valueClassFromNotebook();

  test("the class is about 100 lines, and has add, mul, pow, tanh, neg, sub, backward", () => {
    const source = Value.toString();
    expect(source.split("\n").length).toBeGreaterThan(60);
    expect(source.split("\n").length).toBeLessThan(120);
    for (const op of ["add", "mul", "pow", "tanh", "neg", "sub", "backward", "topologicalOrder"])
      expect(source).toContain(`${op}(`);
  });

  test("gradients of random expressions equal tf.grad's", () => {
    const rand = numbers(7);
    for (let trial = 0; trial < 25; trial++) {
      const inputs = [rand(), rand(), rand()].map((v) => v * 1.5);
      const c = [rand(), rand(), rand()];
      // f(a, b, c) = tanh(a·b + c₀)·(b − c₁·a)² + (a + b)·tanh(c₂ − b)·a — every op, values reused
      const withValues = (a: Value, b: Value) =>
        a
          .mul(b)
          .add(c[0]!)
          .tanh()
          .mul(b.sub(a.mul(c[1]!)).pow(2))
          .add(a.add(b).mul(new Value(c[2]!).sub(b).tanh()).mul(a).neg());
      const withTensors = (a: tf.Tensor, b: tf.Tensor) =>
        tf
          .tanh(a.mul(b).add(c[0]!))
          .mul(b.sub(a.mul(c[1]!)).square())
          .add(
            a
              .add(b)
              .mul(tf.tanh(tf.scalar(c[2]!).sub(b)))
              .mul(a)
              .neg(),
          );
      const [a, b] = [new Value(inputs[0]!), new Value(inputs[1]!)];
      const out = withValues(a, b);
      out.backward();
      const [ga, gb] = tf
        .grads(withTensors)([tf.scalar(inputs[0]!), tf.scalar(inputs[1]!)])
        .map((g) => g.dataSync()[0]!);
      expect(out.data).toBeCloseTo(withTensors(tf.scalar(inputs[0]!), tf.scalar(inputs[1]!)).dataSync()[0]!, 5);
      expect(a.grad).toBeCloseTo(ga!, 5);
      expect(b.grad).toBeCloseTo(gb!, 5);
    }
  });

  test("backward starts from zero each time, and a value used twice gets both contributions", () => {
    const x = new Value(0.7);
    const y = x.mul(x).add(x); // dy/dx = 2x + 1
    y.backward();
    expect(x.grad).toBeCloseTo(2.4, 12);
    y.backward();
    expect(x.grad).toBeCloseTo(2.4, 12);
    expect(y.topologicalOrder().at(-1)).toBe(y);
  });

  test("a 2 → 4 → 1 tanh network: every weight's gradient equals tf.grads'", () => {
    const rand = numbers(11);
    const W1 = [
      [rand(), rand(), rand(), rand()],
      [rand(), rand(), rand(), rand()],
    ];
    const b1 = [rand(), rand(), rand(), rand()].map((v) => v / 2);
    const W2 = [rand(), rand(), rand(), rand()];
    const xs = [
      [0.5, -1],
      [1.5, 0.25],
      [-0.75, 0.8],
    ];
    const ys = [1, -1, 1];
    const w1v = W1.map((row) => row.map((v) => new Value(v)));
    const b1v = b1.map((v) => new Value(v));
    const w2v = W2.map((v) => new Value(v));
    const loss = xs
      .map((x, k) => {
        const hidden = b1v.map((b, j) => x.reduce((s: Value, xi, i) => s.add(w1v[i]![j]!.mul(xi)), b).tanh());
        return hidden
          .reduce((s: Value, h, j) => s.add(h.mul(w2v[j]!)), new Value(0))
          .tanh()
          .sub(ys[k]!)
          .pow(2);
      })
      .reduce((s, l) => s.add(l));
    loss.backward();
    const tfLoss = (w1: tf.Tensor, bb1: tf.Tensor, w2: tf.Tensor) =>
      tf
        .tanh(tf.tanh(tf.tensor(xs).matMul(w1).add(bb1)).matMul(w2.reshape([4, 1])))
        .reshape([3])
        .sub(tf.tensor(ys))
        .square()
        .sum();
    const [g1, gb, g2] = tf
      .grads(tfLoss)([tf.tensor(W1), tf.tensor(b1), tf.tensor(W2)])
      .map((g) => Array.from(g.dataSync()));
    expect(loss.data).toBeCloseTo(tfLoss(tf.tensor(W1), tf.tensor(b1), tf.tensor(W2)).dataSync()[0]!, 5);
    w1v.flat().forEach((v, i) => expect(v.grad).toBeCloseTo(g1![i]!, 5));
    b1v.forEach((v, i) => expect(v.grad).toBeCloseTo(gb![i]!, 5));
    w2v.forEach((v, i) => expect(v.grad).toBeCloseTo(g2![i]!, 5));
  });
});
