/** The fused optimizer kernels against the update rules written out in plain JS, on every backend. */
import { expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { adamMoments, adamStep } from "../../src/runtime/ops/optimizer.js";
import { expectValues, forEachBackend } from "./backends.js";

function values(n: number, scale: number, offset: number): number[] {
  return Array.from({ length: n }, (_, i) => scale * Math.sin(i * 1.7 + offset));
}

forEachBackend(({ tol }) => {
  // 37 values: not a multiple of any SIMD width, so loop tails are exercised.
  const n = 37;
  const g = values(n, 2, 0.3);
  const m = values(n, 0.5, 1.1);
  const v = values(n, 0.5, 2.9).map((x) => x * x);
  const w = values(n, 1, 4.2);

  it("adamMoments updates m and v, packed [2, ...shape]", () => {
    const [b1, b2] = [0.9, 0.999];
    const out = adamMoments(tf.tensor([m, v]), tf.tensor(g), b1, b2);
    expectValues(
      out,
      [m.map((x, i) => b1 * x + (1 - b1) * g[i]), v.map((x, i) => b2 * x + (1 - b2) * g[i] * g[i])],
      tol(),
    );
  });

  it("adamMoments keeps the gradient's shape after the packing axis", () => {
    const g2 = tf.tensor(g.slice(0, 6), [2, 3]);
    const mv = tf.zeros([2, 2, 3]);
    const out = adamMoments(mv, g2, 0.5, 0.25);
    expect(out.shape).toEqual([2, 2, 3]);
    expectValues(
      out.slice([0], [1]).reshape([6]),
      g.slice(0, 6).map((x) => 0.5 * x),
      tol(),
    );
    expectValues(
      out.slice([1], [1]).reshape([6]),
      g.slice(0, 6).map((x) => 0.75 * x * x),
      tol(),
    );
  });

  it("adamStep applies the bias-corrected step", () => {
    const [lr, p1, p2, eps] = [0.01, 0.9 ** 3, 0.999 ** 3, 1e-7];
    const out = adamStep(tf.tensor(w), tf.tensor([m, v]), lr, p1, p2, eps);
    const want = w.map((x, i) => x - (lr * (m[i] / (1 - p1))) / (Math.sqrt(v[i] / (1 - p2)) + eps));
    expectValues(out, want, tol());
  });

  it("adamStep of a zero first moment leaves the weights", () => {
    const out = adamStep(tf.tensor(w), tf.tensor([new Array(n).fill(0), v]), 0.1, 0.9, 0.999, 1e-7);
    expectValues(out, w, tol());
  });

  it("rejects moments that do not pack [2, ...shape]", () => {
    expect(() => adamMoments(tf.zeros([3, n]), tf.tensor(g), 0.9, 0.999)).toThrow(/must be \[2, \.\.\.\[37\]\]/);
    expect(() => adamStep(tf.zeros([n]), tf.zeros([2, n + 1]), 0.1, 0.9, 0.999, 1e-7)).toThrow(/moments/);
    expect(() => adamStep(tf.zeros([n], "int32"), tf.zeros([2, n]), 0.1, 0.9, 0.999, 1e-7)).toThrow(/float32/);
  });

  it("records no gradient (an update is not differentiable)", () => {
    const mv = tf.zeros([2, 3]);
    expect(() => tf.grad((x) => adamMoments(mv, x, 0.9, 0.999).sum())(tf.ones([3]))).toThrow(
      /Cannot compute the gradient/,
    );
  });
});
