/** Exercises of notebook 01 (neurons, layers, losses, a gradient step, a confusion matrix). */
import * as tf from "../../tf.js";
import { call, exercise, wrong } from "../exercise.js";
import { allClose, close, fmt, matrixOf, numberOf, tensorOf, valuesOf } from "../grading.js";

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export const nb01 = {
  /**
   * Exercise 01·1: one neuron, `sigmoid(w·x + b)`, with plain numbers.
   * @example check.neuron(myNeuron)
   */
  neuron: exercise<(x: number[], w: number[], b: number) => number>({
    name: "neuron",
    notebook: "01",
    task: "return sigmoid(w₁x₁ + … + wₙxₙ + b) for number arrays x, w and a number b",
    hints: [
      "Two steps: the weighted sum z = w₁x₁ + … + wₙxₙ + b, then the sigmoid of z.",
      "Start with `let z = b;` and add `w[i] * x[i]` in a loop over the inputs.",
      "The sigmoid is `1 / (1 + Math.exp(-z))`.",
    ],
    solution: `function myNeuron(x: number[], w: number[], b: number): number {
  let z = b;
  for (let i = 0; i < x.length; i++) z += w[i] * x[i];
  return 1 / (1 + Math.exp(-z));
}`,
    grade(answer) {
      const cases: [number[], number[], number][] = [
        [[0.5, -1, 2], [0.8, 0.2, -0.5], 0.1],
        [[1, 2], [0.3, -0.1], 0],
        [[0, 0, 0, 0], [1, 2, 3, 4], -2],
        [[3], [2], 1],
      ];
      for (const [x, w, b] of cases) {
        const when = `for x = ${fmt(x)}, w = ${fmt(w)}, b = ${fmt(b)}`;
        const z = x.reduce((s, xi, i) => s + xi * w[i]!, b);
        const got = numberOf(call(answer, [x.slice(), w.slice(), b], when), `your output ${when}`);
        if (close(got, sigmoid(z))) continue;
        if (close(got, z))
          wrong(`${when} you returned ${fmt(got)}, which is the weighted sum z itself: pass z through the sigmoid.`);
        if (close(got, sigmoid(-z))) wrong(`${when} you returned σ(−z) = ${fmt(got)}: check the sign inside Math.exp.`);
        if (close(got, sigmoid(z - b))) wrong(`${when} you returned ${fmt(got)}, which leaves out the bias b.`);
        wrong(`${when} the neuron's output is ${fmt(sigmoid(z))} (z = ${fmt(z)}), but you returned ${fmt(got)}.`);
      }
      return `${cases.length} neurons, one of them with every input 0 (only the bias counts)`;
    },
  }),

  /**
   * Exercise 01·2: a layer of sigmoid neurons for a batch, `sigmoid(X·W + b)`.
   * @example check.layer(myLayer)
   */
  layer: exercise<(X: tf.Tensor, W: tf.Tensor, b: tf.Tensor) => tf.Tensor>({
    name: "layer",
    notebook: "01",
    task: "return sigmoid(X·W + b): one row per input of X, one column per neuron",
    hints: [
      "X has one input per row, W one neuron per column: their matrix product has one row per input and one column per neuron.",
      "`X.matMul(W)` gives the weighted sums; `.add(b)` adds each neuron's bias to its column (broadcasting).",
      "Finish with `tf.sigmoid(...)`.",
    ],
    solution: `function myLayer(X: tf.Tensor, W: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.sigmoid(X.matMul(W).add(b));
}`,
    grade(answer) {
      const cases: [number[][], number[][], number[]][] = [
        [
          [
            [0.5, -1, 2],
            [1, 0, 0],
            [0, 1, 0],
            [-1, -1, -1],
          ],
          [
            [0.8, -0.3],
            [0.2, 0.5],
            [-0.5, 0.1],
          ],
          [0.1, -0.2],
        ],
        [
          [[1, 2]],
          [
            [0.1, -0.2, 0.3, 0.4, -0.5],
            [0.5, 0.4, -0.3, 0.2, 0.1],
          ],
          [0, 0.1, 0.2, 0.3, 0.4],
        ],
        [[[2], [-1], [0]], [[1.5]], [-0.5]],
      ];
      for (const [x, w, bias] of cases) {
        const [X, W, b] = [tf.tensor(x), tf.tensor(w), tf.tensor(bias)];
        const when = `for X of shape [${X.shape}] and W of shape [${W.shape}]`;
        const out = tensorOf(call(answer, [X, W, b], when), `your output ${when}`);
        const z = X.matMul(W).add(b);
        if (out.shape.join() !== z.shape.join())
          wrong(
            `${when} your output has shape [${out.shape}]; it should be [${z.shape}] (one row per input, one column per neuron). X.matMul(W) has that shape.`,
          );
        const got = valuesOf(out);
        if (allClose(got, valuesOf(tf.sigmoid(z)))) continue;
        if (allClose(got, valuesOf(z))) wrong(`${when} your output is X·W + b without the sigmoid.`);
        if (allClose(got, valuesOf(tf.sigmoid(X.matMul(W))))) wrong(`${when} your output leaves out the bias b.`);
        wrong(`${when} the values are wrong: expected ${fmt(valuesOf(tf.sigmoid(z)))}, got ${fmt(got)}.`);
      }
      return `${cases.length} layers, from 1 to 5 neurons`;
    },
  }),

  /**
   * Exercise 01·3: the binary cross-entropy, averaged over the examples.
   * @example check.binaryCrossEntropy(myBce)
   */
  binaryCrossEntropy: exercise<(t: tf.Tensor, p: tf.Tensor) => tf.Tensor>({
    name: "binaryCrossEntropy",
    notebook: "01",
    task: "return the mean of −[t·log p + (1 − t)·log(1 − p)] over the examples, as a scalar tensor",
    hints: [
      "Each example contributes −log p when its label t is 1 and −log(1 − p) when it is 0; the formula covers both.",
      "With tensor ops: `t.mul(p.log())` and `tf.sub(1, t).mul(tf.sub(1, p).log())`, added, negated, then `.mean()`.",
      "Do not forget the minus sign (logs of probabilities are negative) and the mean (not the sum).",
    ],
    solution: `function myBce(t: tf.Tensor, p: tf.Tensor): tf.Tensor {
  const perExample = t.mul(p.log()).add(tf.sub(1, t).mul(tf.sub(1, p).log()));
  return perExample.neg().mean();
}`,
    grade(answer) {
      const cases: [number[], number[]][] = [
        [
          [1, 0, 1, 0],
          [0.9, 0.2, 0.6, 0.4],
        ],
        [[1], [0.01]],
        [
          [0, 0, 1],
          [0.5, 0.5, 0.5],
        ],
      ];
      for (const [tv, pv] of cases) {
        const when = `for t = ${fmt(tv)}, p = ${fmt(pv)}`;
        const out = tensorOf(call(answer, [tf.tensor(tv), tf.tensor(pv)], when), `your loss ${when}`);
        if (out.size !== 1)
          wrong(
            `${when} your loss has shape [${out.shape}]; it should be one number: average the examples with .mean().`,
          );
        const got = valuesOf(out)[0]!;
        const terms = tv.map((t, i) => -(t * Math.log(pv[i]!) + (1 - t) * Math.log(1 - pv[i]!)));
        const expected = terms.reduce((a, b) => a + b) / terms.length;
        if (close(got, expected)) continue;
        if (close(got, -expected))
          wrong(`${when} your loss is ${fmt(got)}, negative: the formula starts with a minus sign.`);
        if (close(got, expected * terms.length) && terms.length > 1)
          wrong(`${when} your loss is the sum over the examples (${fmt(got)}); take the mean instead.`);
        const onlyFirst = -tv.reduce((s, t, i) => s + t * Math.log(pv[i]!), 0) / tv.length;
        if (close(got, onlyFirst))
          wrong(`${when} you only kept the t·log p term; examples with t = 0 also count, through (1 − t)·log(1 − p).`);
        if (close(got, expected / Math.LN10))
          wrong(`${when} you used log base 10; the natural log (.log()) is the convention.`);
        wrong(`${when} the loss is ${fmt(expected)}, but yours is ${fmt(got)}.`);
      }
      return `${cases.length} batches, one with a confidently wrong prediction (p = 0.01 for t = 1)`;
    },
  }),

  /**
   * Exercise 01·4: one step of gradient descent, in place: `w ← w − η·grad`.
   * @example check.gradientStep(myStep)
   */
  gradientStep: exercise<(w: tf.Variable, grad: tf.Tensor, learningRate: number) => void>({
    name: "gradientStep",
    notebook: "01",
    task: "move the variable w one step against its gradient: w ← w − learningRate·grad (use w.assign)",
    hints: [
      "The gradient points uphill; a step downhill subtracts it.",
      "Compute the new value `w.sub(grad.mul(learningRate))` and store it with `w.assign(...)`.",
    ],
    solution: `function myStep(w: tf.Variable, grad: tf.Tensor, learningRate: number): void {
  w.assign(w.sub(grad.mul(learningRate)));
}`,
    grade(answer) {
      const cases: [number[], number[], number][] = [
        [[1, -2, 3], [0.5, 0.5, -1], 0.1],
        [[0.25], [-2], 0.5],
      ];
      for (const [wv, gv, lr] of cases) {
        const w = tf.variable(tf.tensor(wv));
        const when = `for w = ${fmt(wv)}, grad = ${fmt(gv)}, learningRate = ${lr}`;
        try {
          call(answer, [w, tf.tensor(gv), lr], when);
          const got = valuesOf(w);
          const expected = wv.map((x, i) => x - lr * gv[i]!);
          if (allClose(got, expected)) continue;
          if (allClose(got, wv))
            wrong(`${when} w did not change: store the new value in the variable with w.assign(newValue).`);
          if (
            allClose(
              got,
              wv.map((x, i) => x + lr * gv[i]!),
            )
          )
            wrong(`${when} w moved uphill (w + η·grad = ${fmt(got)}): subtract the gradient instead.`);
          if (
            allClose(
              got,
              wv.map((x, i) => x - gv[i]!),
            )
          )
            wrong(`${when} the step ignores the learning rate.`);
          wrong(`${when} w should become ${fmt(expected)}, but it is ${fmt(got)}.`);
        } finally {
          w.dispose();
        }
      }
      return `${cases.length} steps`;
    },
  }),

  /**
   * Exercise 01·5: a confusion matrix from true and predicted labels (rows: true, columns: predicted).
   * @example check.confusionMatrix(myConfusion)
   */
  confusionMatrix: exercise<(truth: number[], predicted: number[], classes: number) => number[][]>({
    name: "confusionMatrix",
    notebook: "01",
    task: "count, for every pair (true class i, predicted class j), how often it occurs: a classes×classes matrix",
    hints: [
      "Start from a matrix of zeros: `Array.from({ length: classes }, () => new Array(classes).fill(0))`.",
      "Then, for each example k, add 1 at row truth[k], column predicted[k].",
    ],
    solution: `function myConfusion(truth: number[], predicted: number[], classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  truth.forEach((t, k) => (m[t][predicted[k]] += 1));
  return m;
}`,
    grade(answer) {
      const cases: [number[], number[], number][] = [
        [[0, 1, 2, 2, 1], [0, 2, 2, 1, 1], 3],
        [[1, 1, 1, 0], [0, 0, 1, 0], 2],
        [[3, 0], [3, 3], 4],
      ];
      for (const [truth, predicted, classes] of cases) {
        const when = `for truth ${fmt(truth)}, predicted ${fmt(predicted)}, ${classes} classes`;
        const m = matrixOf(
          call(answer, [truth.slice(), predicted.slice(), classes], when),
          `your matrix ${when}`,
          classes,
          classes,
        );
        const expected = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
        truth.forEach((t, k) => (expected[t]![predicted[k]!]! += 1));
        const flat = m.flat();
        if (allClose(flat, expected.flat())) continue;
        const total = flat.reduce((a, b) => a + b, 0);
        if (total !== truth.length)
          wrong(
            `${when} your counts add up to ${total}, but there are ${truth.length} examples: each must be counted once.`,
          );
        if (
          allClose(
            flat,
            expected[0]!.flatMap((_, j) => expected.map((row) => row[j]!)),
          )
        )
          wrong(`${when} your matrix is transposed: rows are the true classes, columns the predicted ones.`);
        wrong(`${when} expected ${fmt(expected)}, got ${fmt(m)}.`);
      }
      return `${cases.length} sets of labels, one with classes that never occur`;
    },
  }),
};
