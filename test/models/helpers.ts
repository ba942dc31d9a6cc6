/** Shared test helpers: plain-array conversions and a finite-difference check of weight gradients. */
import { expect } from "vitest";
import * as tf from "../../src/runtime/index.js";
import type { Layer } from "../../src/models/index.js";
import { Random } from "../../src/models/random.js";

export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync() as Float32Array);
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= tol * scale)) {
      throw new Error(`element ${i}: got ${actual[i]}, expected ${expected[i]} (tolerance ${tol})`);
    }
  }
}

/** A seeded float tensor with values uniform in [lo, hi). */
export function randomTensor(shape: number[], seed: number, lo = -1, hi = 1): tf.Tensor {
  const r = new Random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => lo + (hi - lo) * r.uniform()),
    shape,
    "float32",
  );
}

/**
 * Compares autograd's gradient of `sum(layer(x) · R)` with respect to every trainable weight against
 * central differences (perturbing up to `perWeight` entries of each weight).
 */
export function checkWeightGradients(
  layer: Layer,
  x: tf.Tensor,
  opts: { eps?: number; tol?: number; perWeight?: number; training?: boolean } = {},
): number {
  const { eps = 1e-2, tol = 2e-2, perWeight = 12, training = false } = opts;
  const out0 = layer.apply(x, { training }) as tf.Tensor;
  const r = randomTensor(out0.shape, 99);
  out0.dispose();
  const loss = () => tf.sum(tf.mul(layer.apply(x, { training }) as tf.Tensor, r));
  const vars = layer.trainableWeights.map((w) => w.read());
  const { value, grads } = tf.variableGrads(loss, vars);
  value.dispose();
  let worst = 0;
  for (const v of vars) {
    const analytic = values(grads[v.name]);
    const base = Float32Array.from(v.dataSync() as Float32Array);
    const step = Math.max(1, Math.floor(base.length / perWeight));
    for (let i = 0; i < base.length; i += step) {
      const at = (delta: number) => {
        const p = base.slice();
        p[i] += delta;
        v.assign(tf.tensor(p, v.shape, "float32"));
        const l = loss();
        const s = l.dataSync()[0];
        l.dispose();
        return s;
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      v.assign(tf.tensor(base, v.shape, "float32"));
      const err = Math.abs(numeric - analytic[i]) / Math.max(1, Math.abs(numeric), Math.abs(analytic[i]));
      worst = Math.max(worst, err);
    }
  }
  tf.dispose(Object.values(grads));
  r.dispose();
  expect(worst).toBeLessThan(tol);
  return worst;
}

/** A TF.js tensor or list of them, as tests receive them from the oracle. */
type TheirTensors =
  | { shape: number[]; dataSync(): ArrayLike<number> }
  | { shape: number[]; dataSync(): ArrayLike<number> }[];

/** Our output(s) equal TF.js's: as many, the same shapes and (within `tol`) values. */
export function expectSameOutputs(ours: tf.Tensor | tf.Tensor[], theirs: unknown, tol = 1e-5): void {
  const as = Array.isArray(ours) ? ours : [ours];
  const given = theirs as TheirTensors;
  const bs = Array.isArray(given) ? given : [given];
  expect(as.length).toBe(bs.length);
  as.forEach((t, i) => {
    expect(t.shape).toEqual(bs[i].shape);
    expectClose(values(t.dtype === "float32" ? t : tf.cast(t, "float32")), Array.from(bs[i].dataSync()), tol);
  });
}

/** The artifacts `model.save` hands to a save handler made by `handlers.withSaveHandler` (deepts's or TF.js's `io`). */
export async function savedArtifacts<A>(
  model: { save(handler: unknown): Promise<unknown> },
  handlers: { withSaveHandler(save: (a: A) => Promise<unknown>): unknown },
): Promise<A> {
  let saved: A | undefined;
  await model.save(
    handlers.withSaveHandler(async (a: A) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  if (saved === undefined) throw new Error("save did not call the save handler");
  return saved;
}
