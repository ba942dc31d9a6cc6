/**
 * The simple recurrence kernels (RnnForward, RnnBackward) on every backend: values against a float64
 * step-by-step reference, and rnnForward's gradients (through RnnBackward) by finite differences.
 */
import { expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { rnnBackward, rnnForward, type RnnActivation } from "../../src/runtime/ops/rnn.js";
import { expectGradOk, expectValues, forEachBackend } from "./backends.js";

const F: Record<RnnActivation, (v: number) => number> = {
  relu: (v) => Math.max(v, 0),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  tanh: Math.tanh,
};
const DF: Record<RnnActivation, (y: number) => number> = {
  relu: (y) => (y > 0 ? 1 : 0),
  sigmoid: (y) => y * (1 - y),
  tanh: (y) => 1 - y * y,
};

type M = number[][];
const matmul = (a: M, b: M): M => a.map((r) => b[0]!.map((_, j) => r.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const transpose = (a: M): M => a[0]!.map((_, j) => a.map((r) => r[j]!));
const add = (a: M, b: M): M => a.map((r, i) => r.map((v, j) => v + b[i]![j]!));

/** Deterministic values in [-scale, scale] without a pattern a wrong index could share. */
function values(shape: number[], seed: number, scale = 1): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => scale * Math.sin(1.7 * i + 0.3 * seed + 0.11 * i * i));
}
function nest(flat: number[], shape: number[]): unknown {
  if (shape.length === 1) return flat.slice(0, shape[0]);
  const inner = shape.slice(1).reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[0]! }, (_, i) => nest(flat.slice(i * inner, (i + 1) * inner), shape.slice(1)));
}

function referenceForward(xw: M[], h0: M, u: M, f: (v: number) => number): M[] {
  const hs: M[] = [];
  let h = h0;
  for (const x of xw) {
    h = add(x, matmul(h, u)).map((r) => r.map(f));
    hs.push(h);
  }
  return hs;
}

function referenceBackward(hs: M[], u: M, dhs: M[], df: (y: number) => number): M[] {
  const dz: M[] = new Array(hs.length);
  for (let t = hs.length - 1; t >= 0; t--) {
    const g = t === hs.length - 1 ? dhs[t]! : add(dhs[t]!, matmul(dz[t + 1]!, transpose(u)));
    dz[t] = g.map((r, i) => r.map((v, j) => v * df(hs[t]![i]![j]!)));
  }
  return dz;
}

forEachBackend(({ tol }) => {
  // [steps, batch, units]: one step, one row, and a block size that is not a multiple of 4.
  const SHAPES: [number, number, number][] = [
    [1, 1, 1],
    [4, 3, 5],
    [7, 2, 8],
  ];

  it("RnnForward: every state of h_t = activation(xw_t + h_{t-1}·u)", () => {
    for (const [steps, batch, units] of SHAPES) {
      const xw = nest(values([steps, batch, units], 1), [steps, batch, units]) as M[];
      const h0 = nest(values([batch, units], 2, 0.5), [batch, units]) as M;
      const u = nest(values([units, units], 3, 0.6), [units, units]) as M;
      for (const name of ["relu", "sigmoid", "tanh"] as const) {
        const hs = rnnForward(tf.tensor(xw), tf.tensor(h0), tf.tensor(u), name);
        expectValues(hs, referenceForward(xw, h0, u, F[name]), tol() * 4);
      }
    }
  });

  it("RnnBackward: the pre-activation gradients walking back through time", () => {
    for (const [steps, batch, units] of SHAPES) {
      const u = nest(values([units, units], 4, 0.6), [units, units]) as M;
      const dhs = nest(values([steps, batch, units], 5), [steps, batch, units]) as M[];
      for (const name of ["relu", "sigmoid", "tanh"] as const) {
        // States an activation can give: relu ≥ 0 (some exactly 0), sigmoid in (0, 1), tanh in (−1, 1).
        const raw = values([steps, batch, units], 6, 0.9);
        const hsFlat =
          name === "relu" ? raw.map((v) => Math.max(v, 0)) : name === "sigmoid" ? raw.map((v) => 0.5 + v / 2) : raw;
        const hs = nest(hsFlat, [steps, batch, units]) as M[];
        const dz = rnnBackward(tf.tensor(hs), tf.tensor(u), tf.tensor(dhs), name);
        expectValues(dz, referenceBackward(hs, u, dhs, DF[name]), tol() * 4);
      }
    }
  });

  it("rnnForward's gradients for xw, h0 and u match finite differences", () => {
    const [steps, batch, units] = [5, 2, 3];
    const xw = tf.tensor(values([steps, batch, units], 7), [steps, batch, units]);
    const h0 = tf.tensor(values([batch, units], 8, 0.5), [batch, units]);
    // Positive pre-activations for relu keep finite differences away from its kink.
    const xwRelu = tf.add(tf.abs(xw), 0.5);
    const u = tf.tensor(values([units, units], 9, 0.4), [units, units]);
    const weights = tf.tensor(values([steps, batch, units], 10), [steps, batch, units]);
    for (const name of ["relu", "sigmoid", "tanh"] as const) {
      const start = name === "relu" ? tf.abs(h0) : h0;
      expectGradOk((x, h, k) => tf.mul(rnnForward(x, h, k, name), weights), [name === "relu" ? xwRelu : xw, start, u]);
      // Only the last state reaching the loss (as a SimpleRNN without returnSequences).
      expectGradOk(
        (x, h, k) => tf.slice(rnnForward(x, h, k, name), [steps - 1, 0, 0], [1, batch, units]),
        [name === "relu" ? xwRelu : xw, start, u],
      );
    }
  });

  it("rnnForward rejects mismatched shapes and non-float inputs", () => {
    expect(() => rnnForward(tf.zeros([2, 3, 4]), tf.zeros([3, 5]), tf.zeros([4, 4]), "tanh")).toThrow(/expects xw/);
    expect(() => rnnForward(tf.zeros([2, 3, 4]), tf.zeros([3, 4]), tf.zeros([4, 3]), "tanh")).toThrow(/expects xw/);
    expect(() => rnnForward(tf.zeros([2, 3, 4], "int32"), tf.zeros([3, 4]), tf.zeros([4, 4]), "tanh")).toThrow(
      /float32/,
    );
  });
});
