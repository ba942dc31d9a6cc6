/** Exercises of notebook 05 (leaky ReLU, KL divergence, initialization, pooling, clipping, a layer's backward pass). */
import * as tf from "../../tf.js";
import { call, exercise, wrong } from "../exercise.js";
import { allClose, caseMatrix, close, expectShape, fmt, matrixOf, numberOf, tensorOf, valuesOf } from "../grading.js";

type LayerGradients = { dW: tf.Tensor; db: tf.Tensor; deltaPrev: tf.Tensor };

export const nb05 = {
  /**
   * Exercise 05·1: leaky ReLU, z for z > 0 and α·z otherwise, with tensor ops (so tf.grad sees through it).
   * @example check.leakyRelu(myLeakyRelu)
   */
  leakyRelu: exercise<(z: tf.Tensor, alpha: number) => tf.Tensor>({
    name: "leakyRelu",
    notebook: "05",
    task: "return z where z > 0 and α·z elsewhere, element by element, using tensor operations",
    hints: [
      "For 0 < α < 1, max(z, α·z) is exactly leaky ReLU.",
      "`tf.maximum(z, z.mul(alpha))` — or `tf.where(z.greater(0), z, z.mul(alpha))`. Stay with tensor ops: arrays (dataSync) would hide the computation from tf.grad.",
    ],
    solution: `function myLeakyRelu(z: tf.Tensor, alpha: number): tf.Tensor {
  return tf.maximum(z, z.mul(alpha));
}`,
    grade(answer) {
      const zs = [-3, -0.5, 0.25, 2, -1.5, 4];
      const alpha = 0.1;
      const when = `for z = ${fmt(zs)} and α = ${alpha}`;
      const z = tf.tensor(zs);
      const out = tensorOf(call(answer, [z, alpha], when), `your output ${when}`);
      expectShape(out, [6], `your output ${when}`);
      const got = valuesOf(out);
      const expected = zs.map((v) => (v > 0 ? v : alpha * v));
      if (!allClose(got, expected)) {
        if (
          allClose(
            got,
            zs.map((v) => Math.max(0, v)),
          )
        )
          wrong(`${when} you returned plain ReLU: negative inputs should give α·z, not 0.`);
        if (
          allClose(
            got,
            zs.map((v) => (v > 0 ? alpha * v : v)),
          )
        )
          wrong(`${when} the two branches are swapped: keep z where it is positive.`);
        wrong(`${when} expected ${fmt(expected)}, got ${fmt(got)}.`);
      }
      let slopes: number[];
      try {
        slopes = valuesOf(tf.grad((t: tf.Tensor) => (answer(t, alpha) as tf.Tensor).sum())(z));
      } catch (e) {
        return wrong(
          `tf.grad could not differentiate your function (${(e as Error).message}); build it from tensor operations only.`,
        );
      }
      const slopeExpected = zs.map((v) => (v > 0 ? 1 : alpha));
      if (!allClose(slopes, slopeExpected))
        wrong(
          `the values are right, but tf.grad through your function gives slopes ${fmt(slopes)} instead of ${fmt(slopeExpected)}: stay with tensor operations (no dataSync/arrays in between).`,
        );
      return "six inputs, values and the slopes tf.grad finds through your function";
    },
  }),

  /**
   * Exercise 05·2: the Kullback–Leibler divergence KL(P‖Q) of two discrete distributions.
   * @example check.klDivergence(myKl)
   */
  klDivergence: exercise<(p: number[], q: number[]) => number>({
    name: "klDivergence",
    notebook: "05",
    task: "return Σᵢ pᵢ·log(pᵢ/qᵢ) (natural log), where a term with pᵢ = 0 counts as 0",
    hints: [
      "Sum p[i] * Math.log(p[i] / q[i]) over i.",
      "When p[i] is 0 the term is 0 by convention (0·log 0 would be NaN in code): skip it.",
    ],
    solution: `function myKl(p: number[], q: number[]): number {
  return p.reduce((sum, pi, i) => (pi > 0 ? sum + pi * Math.log(pi / q[i]) : sum), 0);
}`,
    grade(answer) {
      const kl = (p: number[], q: number[]) => p.reduce((s, pi, i) => (pi > 0 ? s + pi * Math.log(pi / q[i]!) : s), 0);
      const cases: [number[], number[]][] = [
        [
          [0.5, 0.3, 0.2],
          [0.2, 0.3, 0.5],
        ],
        [
          [0.9, 0.1],
          [0.5, 0.5],
        ],
        [
          [0.5, 0.5, 0],
          [0.25, 0.25, 0.5],
        ],
        [
          [0.25, 0.75],
          [0.25, 0.75],
        ],
      ];
      for (const [p, q] of cases) {
        const when = `for P = ${fmt(p)}, Q = ${fmt(q)}`;
        const out = call(answer, [p.slice(), q.slice()], when);
        if (typeof out === "number" && Number.isNaN(out))
          wrong(`${when} you returned NaN: P has a 0, and 0·log(0/q) must count as 0 (skip those terms).`);
        const got = numberOf(out, `your divergence ${when}`);
        const expected = kl(p, q);
        if (close(got, expected)) continue;
        if (close(got, kl(q, p)))
          wrong(`${when} you computed KL(Q‖P): the weights are P's, Σ pᵢ·log(pᵢ/qᵢ) (KL is not symmetric).`);
        if (close(got, expected / Math.LN2))
          wrong(`${when} you used log base 2 (bits); use the natural log (nats), like the rest of the notebook.`);
        if (close(got, -expected)) wrong(`${when} the sign is flipped: it is log(p/q), not log(q/p).`);
        wrong(`${when} KL(P‖Q) = ${fmt(expected)}, yours is ${fmt(got)}.`);
      }
      return `${cases.length} pairs, one with a zero probability and one with P = Q (divergence 0)`;
    },
  }),

  /**
   * Exercise 05·3: the standard deviation of initial weights for a layer with `fanIn` inputs.
   * @example check.initStd(myInitStd)
   */
  initStd: exercise<(fanIn: number, activation: "tanh" | "relu") => number>({
    name: "initStd",
    notebook: "05",
    task: "return the weights' standard deviation that keeps the signal's size steady: Xavier √(1/n) for tanh, He √(2/n) for ReLU",
    hints: [
      "A sum of n products has n times the variance of one; dividing the weights' variance by n undoes it.",
      "ReLU zeroes half of its inputs, halving the variance; He doubles the weights' variance to make up for it. Return the standard deviation (the square root), not the variance.",
    ],
    solution: `function myInitStd(fanIn: number, activation: "tanh" | "relu"): number {
  return Math.sqrt((activation === "relu" ? 2 : 1) / fanIn);
}`,
    grade(answer) {
      for (const [n, act] of [
        [256, "tanh"],
        [256, "relu"],
        [784, "relu"],
        [10, "tanh"],
      ] as [number, "tanh" | "relu"][]) {
        const when = `for ${n} inputs and ${act}`;
        const got = numberOf(call(answer, [n, act], when), `your standard deviation ${when}`);
        const expected = Math.sqrt((act === "relu" ? 2 : 1) / n);
        if (close(got, expected)) continue;
        if (close(got, expected ** 2))
          wrong(`${when} you returned the variance ${fmt(got)}; the standard deviation is its square root.`);
        if (close(got, Math.sqrt((act === "relu" ? 1 : 2) / n)))
          wrong(`${when} the two rules are swapped: He's factor 2 is for ReLU.`);
        wrong(`${when} the standard deviation is ${fmt(expected)}, yours is ${fmt(got)}.`);
      }
      return "four layers, tanh and ReLU";
    },
  }),

  /**
   * Exercise 05·4: clipping gradients by their global norm.
   * @example check.clipByGlobalNorm(myClip)
   */
  clipByGlobalNorm: exercise<(grads: tf.Tensor[], maxNorm: number) => tf.Tensor[]>({
    name: "clipByGlobalNorm",
    notebook: "05",
    task: "if the norm of all gradients together, √(Σ over every entry of every tensor of g²), exceeds maxNorm, scale every tensor by maxNorm/norm; otherwise return them unchanged",
    hints: [
      "One norm for the whole list: add up the squares of all entries of all tensors, then take the square root.",
      "Scale every tensor by the same factor min(1, maxNorm/norm): the direction of the update stays the same, only its length shrinks.",
    ],
    solution: `function myClip(grads: tf.Tensor[], maxNorm: number): tf.Tensor[] {
  const norm = Math.sqrt(grads.reduce((s, g) => s + g.square().sum().dataSync()[0], 0));
  const factor = Math.min(1, maxNorm / norm);
  return grads.map((g) => g.mul(factor));
}`,
    grade(answer) {
      const gs = [
        [
          [3, 0],
          [0, 4],
        ],
        [12, 0, 0],
      ];
      const norm = 13;
      for (const maxNorm of [6.5, 20]) {
        const when = `for gradients of global norm ${norm} and maxNorm ${maxNorm}`;
        const out = call(answer, [gs.map((g) => tf.tensor(g)), maxNorm], when);
        if (!Array.isArray(out) || out.length !== 2)
          wrong(`${when} return a list with one tensor per gradient (2 here), not ${String(out)}.`);
        const got = out.map((t, i) => valuesOf(tensorOf(t, `tensor ${i + 1} of your result ${when}`)));
        const factor = Math.min(1, maxNorm / norm);
        const expected = gs.map((g) => (g.flat() as number[]).map((v) => v * factor));
        if (allClose(got.flat(), expected.flat())) continue;
        if (maxNorm > norm) wrong(`${when} the gradients are already short enough and must stay unchanged.`);
        const perTensor = gs.map((g) => {
          const f = g.flat() as number[];
          const n = Math.sqrt(f.reduce((s, v) => s + v * v, 0));
          return f.map((v) => v * Math.min(1, maxNorm / n));
        });
        if (allClose(got.flat(), perTensor.flat()))
          wrong(
            `${when} you clipped each tensor by its own norm, which changes the direction of the update; use one global norm for the list.`,
          );
        wrong(`${when} expected ${fmt(expected.flat())}, got ${fmt(got.flat())}.`);
      }
      return "a list of two gradients, once too long (scaled to half) and once short enough (unchanged)";
    },
  }),

  /**
   * Exercise 05·5: max pooling with square windows of `size` and stride `size` ("valid": leftover rows and columns are dropped).
   * @example check.maxPool(myMaxPool)
   */
  maxPool: exercise<(x: number[][], size: number) => number[][]>({
    name: "maxPool",
    notebook: "05",
    task: "return the maximum of each size×size block of x, blocks side by side (stride = size), leftover rows/columns dropped",
    hints: [
      "The output has ⌊rows/size⌋ rows and ⌊cols/size⌋ columns.",
      "Output cell (i, j) is the maximum of x[size·i + u][size·j + v] over u, v in 0 … size − 1.",
    ],
    solution: `function myMaxPool(x: number[][], size: number): number[][] {
  const rows = Math.floor(x.length / size), cols = Math.floor(x[0].length / size);
  return Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => {
      let best = -Infinity;
      for (let u = 0; u < size; u++) for (let v = 0; v < size; v++) best = Math.max(best, x[size * i + u][size * j + v]);
      return best;
    }),
  );
}`,
    grade(answer) {
      const pool = (x: number[][], s: number, op: (w: number[]) => number) =>
        Array.from({ length: Math.floor(x.length / s) }, (_, i) =>
          Array.from({ length: Math.floor(x[0]!.length / s) }, (_, j) => {
            const w: number[] = [];
            for (let u = 0; u < s; u++) for (let v = 0; v < s; v++) w.push(x[s * i + u]![s * j + v]!);
            return op(w);
          }),
        );
      const cases: [number[][], number][] = [
        [
          [
            [1, 3, 2, 0],
            [4, 2, 1, 1],
            [0, 1, 5, 6],
            [2, 2, 7, 8],
          ],
          2,
        ],
        [caseMatrix(6, 6, 61, -1, 1), 3],
        [caseMatrix(5, 7, 62, -2, 0), 2],
      ];
      for (const [x, size] of cases) {
        const [r, c] = [Math.floor(x.length / size), Math.floor(x[0]!.length / size)];
        const when = `for a ${x.length}×${x[0]!.length} input and size ${size}`;
        const got = matrixOf(call(answer, [x.map((row) => row.slice()), size], when), `your output ${when}`, r, c);
        const expected = pool(x, size, (w) => Math.max(...w));
        if (allClose(got.flat(), expected.flat())) continue;
        if (allClose(got.flat(), pool(x, size, (w) => w.reduce((a, b) => a + b) / w.length).flat()))
          wrong(`${when} you averaged each window: that is average pooling; take the maximum.`);
        wrong(`${when} expected ${fmt(expected)}, got ${fmt(got)}.`);
      }
      return "a 4×4, a 6×6 and a 5×7 input (leftovers dropped), one with only negative values";
    },
  }),

  /**
   * Exercise 05·6 (stretch): one layer's backward pass in the notebook's column-vector convention.
   * @example check.layerBackward(myLayerBackward)
   */
  layerBackward: exercise<(W: tf.Tensor, delta: tf.Tensor, aPrev: tf.Tensor, zPrev: tf.Tensor) => LayerGradients>({
    name: "layerBackward",
    notebook: "05",
    task: "for z = Wᵀa_prev + b with error δ = ∂L/∂z, return { dW: a_prev·δᵀ, db: δ, deltaPrev: (W·δ) ⊙ σ'(z_prev) } (σ the sigmoid of the layer below)",
    hints: [
      "Shapes guide you: W is [n_prev, n], δ is [n, 1], a_prev and z_prev are [n_prev, 1]. dW must have W's shape, deltaPrev a_prev's.",
      "σ'(z) = σ(z)(1 − σ(z)): `tf.sigmoid(zPrev).mul(tf.sigmoid(zPrev).neg().add(1))`.",
      "`dW = aPrev.matMul(delta.transpose())`, `deltaPrev = W.matMul(delta).mul(σ'(zPrev))`.",
    ],
    solution: `function myLayerBackward(W: tf.Tensor, delta: tf.Tensor, aPrev: tf.Tensor, zPrev: tf.Tensor): { dW: tf.Tensor; db: tf.Tensor; deltaPrev: tf.Tensor } {
  const s = tf.sigmoid(zPrev);
  return {
    dW: aPrev.matMul(delta.transpose()),
    db: delta,
    deltaPrev: W.matMul(delta).mul(s.mul(s.neg().add(1))),
  };
}`,
    grade(answer) {
      const W = tf.tensor(caseMatrix(4, 3, 63));
      const delta = tf.tensor(caseMatrix(3, 1, 64, -0.2, 0.2));
      const zPrev = tf.tensor(caseMatrix(4, 1, 65, -2, 2));
      const aPrev = tf.sigmoid(zPrev);
      const when = "for a layer of 3 units above a layer of 4";
      const out = call(answer, [W, delta, aPrev, zPrev], when);
      if (out === null || typeof out !== "object") wrong(`${when} return an object { dW, db, deltaPrev }.`);
      const dW = tensorOf(out.dW, `dW ${when}`);
      const db = tensorOf(out.db, `db ${when}`);
      const dPrev = tensorOf(out.deltaPrev, `deltaPrev ${when}`);
      expectShape(
        dW,
        [4, 3],
        `dW ${when}`,
        "dW has W's shape: a_prev (4×1) times δᵀ (1×3); δ·a_prevᵀ would be its transpose.",
      );
      expectShape(db, [3, 1], `db ${when}`);
      expectShape(dPrev, [4, 1], `deltaPrev ${when}`, "It has a_prev's shape: W (4×3) times δ (3×1).");
      const sp = aPrev.mul(aPrev.neg().add(1));
      if (!allClose(valuesOf(dW), valuesOf(aPrev.matMul(delta.transpose())))) wrong(`${when} dW should be a_prev·δᵀ.`);
      if (!allClose(valuesOf(db), valuesOf(delta))) wrong(`${when} db is δ itself.`);
      const expected = valuesOf(W.matMul(delta).mul(sp));
      const got = valuesOf(dPrev);
      if (allClose(got, expected)) return "a 4 → 3 layer: all three gradients";
      if (allClose(got, valuesOf(W.matMul(delta))))
        wrong(`${when} deltaPrev lacks the factor σ'(z_prev) of the layer below.`);
      if (allClose(got, valuesOf(W.matMul(delta).mul(aPrev))))
        wrong(`${when} you multiplied by σ(z_prev); the factor is its derivative σ(z)(1 − σ(z)).`);
      return wrong(`${when} deltaPrev should be ${fmt(expected)}, yours is ${fmt(got)}.`);
    },
  }),
};
