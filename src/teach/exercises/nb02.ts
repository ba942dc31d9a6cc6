/** Exercises of notebook 02 (softmax, cross-entropy, the backward pass, finite differences, autograd). */
import * as tf from "../../tf.js";
import { call, exercise, wrong } from "../exercise.js";
import type { CheckResult } from "../result.js";
import {
  allClose,
  caseMatrix,
  close,
  expectShape,
  firstDifference,
  fmt,
  numberOf,
  tensorOf,
  valuesOf,
  vectorOf,
} from "../grading.js";

/** What the checks need of the notebook's scalar autograd `Value`. */
export interface ValueLike {
  data: number;
  grad: number;
  backward(): void;
}

/** `check.valueRelu`'s type: generic, so the notebook's own `Value` class and function fit. */
export type ValueReluCheck = <V extends ValueLike>(
  relu: (a: V) => V,
  ValueClass: new (data: number) => V,
) => CheckResult;

const oneHotRows = (labels: number[], k: number) => labels.map((l) => Array.from({ length: k }, (_, j) => +(j === l)));

export const nb02 = {
  /**
   * Exercise 02·1: softmax of every row of a score matrix.
   * @example check.softmax(mySoftmax)
   */
  softmax: exercise<(scores: tf.Tensor) => tf.Tensor>({
    name: "softmax",
    notebook: "02",
    task: "turn each row of scores into probabilities: e^z divided by the row's sum of e^z",
    hints: [
      "Work row by row: exponentiate, then divide by the sum of the row. `sum(1, true)` keeps the axis, so the division broadcasts along the row.",
      "Very large scores overflow: e^1000 is Infinity. Subtracting the row's maximum first (`scores.max(1, true)`) changes nothing mathematically and keeps every exponent ≤ 0.",
      "`const e = scores.sub(scores.max(1, true)).exp(); return e.div(e.sum(1, true));`",
    ],
    solution: `function mySoftmax(scores: tf.Tensor): tf.Tensor {
  const e = scores.sub(scores.max(1, true)).exp();
  return e.div(e.sum(1, true));
}`,
    grade(answer) {
      const cases = [
        [
          [1, 2, 3],
          [1, 1, 1],
        ],
        caseMatrix(4, 10, 21, -3, 3),
        [
          [1000, 1001, 1002],
          [-5, 0, 5],
        ],
      ];
      for (const scores of cases) {
        const when =
          scores[0]![0] === 1000
            ? "for scores with very large entries (1000, 1001, 1002)"
            : `for a ${scores.length}×${scores[0]!.length} score matrix`;
        const z = tf.tensor(scores);
        const out = tensorOf(call(answer, [z], when), `your output ${when}`);
        expectShape(out, z.shape, `your output ${when}`, "Softmax keeps the shape of its input.");
        const got = valuesOf(out);
        if (got.some((v) => Number.isNaN(v)))
          wrong(
            `${when} your output contains NaN: e^1000 overflows to Infinity and Infinity/Infinity is NaN. Subtract each row's maximum before exp.`,
          );
        const expected = valuesOf(tf.softmax(z));
        if (allClose(got, expected, 1e-4)) continue;
        const [n, k] = z.shape as [number, number];
        const rowSums = Array.from({ length: n }, (_, r) => got.slice(r * k, (r + 1) * k).reduce((a, b) => a + b, 0));
        const badRow = rowSums.findIndex((s) => !close(s, 1, 1e-4));
        if (badRow >= 0) {
          const colSums = Array.from({ length: k }, (_, c) => rowSums.reduce((s, _r, r) => s + got[r * k + c]!, 0));
          if (n > 1 && colSums.every((s) => close(s, 1, 1e-4)))
            wrong(`${when} your columns sum to 1, not your rows: normalise along axis 1 (each example's row).`);
          wrong(`${when} row ${badRow + 1} of your output sums to ${fmt(rowSums[badRow]!)}, not 1.`);
        }
        if (got.some((v) => v < 0))
          wrong(`${when} your output has negative entries; probabilities are ≥ 0 (exponentiate first).`);
        wrong(
          `${when} every row sums to 1 but the values are wrong: expected ${fmt(expected.slice(0, k))} in row 1, got ${fmt(got.slice(0, k))}. Did you exponentiate?`,
        );
      }
      return `${cases.length} score matrices, one with scores near 1000 (which overflow without the max trick)`;
    },
  }),

  /**
   * Exercise 02·2: the mean cross-entropy of predicted probabilities Y against one-hot targets T.
   * @example check.crossEntropy(myCrossEntropy)
   */
  crossEntropy: exercise<(Y: tf.Tensor, T: tf.Tensor) => tf.Tensor>({
    name: "crossEntropy",
    notebook: "02",
    task: "return −(1/n) Σₖ Σᵢ Tₖᵢ·log Yₖᵢ for n rows of probabilities Y and one-hot rows T, as a scalar",
    hints: [
      "`T.mul(Y.log())` keeps, in each row, only the log-probability of the true class.",
      "Sum each row (`sum(1)`), average over the rows (`mean()`), and negate.",
    ],
    solution: `function myCrossEntropy(Y: tf.Tensor, T: tf.Tensor): tf.Tensor {
  return T.mul(Y.log()).sum(1).mean().neg();
}`,
    grade(answer) {
      const cases: [number[][], number[]][] = [
        [
          [
            [0.7, 0.2, 0.1],
            [0.1, 0.3, 0.6],
          ],
          [0, 2],
        ],
        [
          [
            [0.25, 0.25, 0.25, 0.25],
            [0.01, 0.97, 0.01, 0.01],
            [0.4, 0.3, 0.2, 0.1],
          ],
          [3, 0, 0],
        ],
      ];
      for (const [y, labels] of cases) {
        const k = y[0]!.length;
        const when = `for ${y.length} rows of ${k} probabilities`;
        const out = tensorOf(call(answer, [tf.tensor(y), tf.tensor(oneHotRows(labels, k))], when), `your loss ${when}`);
        if (out.size !== 1)
          wrong(
            `${when} your loss has shape [${out.shape}]; it should be one number (sum each row, then take the mean).`,
          );
        const got = valuesOf(out)[0]!;
        const perRow = labels.map((l, r) => -Math.log(y[r]![l]!));
        const expected = perRow.reduce((a, b) => a + b) / perRow.length;
        if (close(got, expected)) continue;
        if (close(got, -expected))
          wrong(`${when} your loss is ${fmt(got)}: the minus sign is missing (log-probabilities are negative).`);
        if (close(got, expected * labels.length))
          wrong(`${when} your loss is the sum over the rows; divide by the number of rows (mean).`);
        if (close(got, expected / k))
          wrong(`${when} you averaged over all n·k entries; sum within each row first, then average over the n rows.`);
        wrong(`${when} the loss is ${fmt(expected)}, yours is ${fmt(got)}.`);
      }
      return `${cases.length} batches, one with a confident mistake (probability 0.01 on the true class)`;
    },
  }),

  /**
   * Exercise 02·3: the gradient of the mean cross-entropy with respect to the scores, (Y − T)/n.
   * @example check.outputGradient(myOutputGradient)
   */
  outputGradient: exercise<(Y: tf.Tensor, T: tf.Tensor) => tf.Tensor>({
    name: "outputGradient",
    notebook: "02",
    task: "return ∂L/∂Z₂ = (Y − T)/n for softmax outputs Y and one-hot targets T (n rows)",
    hints: [
      "The loss is an average over the n rows, so every row's gradient carries a factor 1/n.",
      "`Y.sub(T).div(Y.shape[0])`",
    ],
    solution: `function myOutputGradient(Y: tf.Tensor, T: tf.Tensor): tf.Tensor {
  return Y.sub(T).div(Y.shape[0]);
}`,
    grade(answer) {
      const scores = caseMatrix(5, 4, 23, -2, 2);
      const labels = [0, 3, 1, 1, 2];
      const Z = tf.tensor(scores);
      const Y = tf.softmax(Z);
      const T = tf.tensor(oneHotRows(labels, 4));
      const when = "for 5 rows of 4 classes";
      const out = tensorOf(call(answer, [Y, T], when), `your gradient ${when}`);
      expectShape(out, [5, 4], `your gradient ${when}`, "The gradient has one entry per score.");
      const got = valuesOf(out);
      const auto = valuesOf(tf.grad((z: tf.Tensor) => tf.losses.softmaxCrossEntropy(T, z))(Z));
      if (allClose(got, auto, 1e-4)) return "a batch of 5 examples, against tf.grad of tf.losses.softmaxCrossEntropy";
      if (allClose(got, valuesOf(Y.sub(T)), 1e-4)) wrong(`${when} you returned Y − T: the 1/n of the mean is missing.`);
      if (allClose(got, valuesOf(T.sub(Y).div(5)), 1e-4))
        wrong(`${when} the sign is flipped: the gradient is (Y − T)/n.`);
      return wrong(`${when} tf.grad finds ${fmt(auto.slice(0, 4))} in row 1, you have ${fmt(got.slice(0, 4))}.`);
    },
  }),

  /**
   * Exercise 02·4: backward through ReLU: let the upstream gradient through where Z > 0.
   * @example check.reluBackward(myReluBackward)
   */
  reluBackward: exercise<(dA: tf.Tensor, Z: tf.Tensor) => tf.Tensor>({
    name: "reluBackward",
    notebook: "02",
    task: "return ∂L/∂Z = ∂L/∂A ⊙ 1[Z > 0], where A = relu(Z)",
    hints: [
      "ReLU's slope is 1 where its input was positive and 0 elsewhere (at 0 too, by convention).",
      '`Z.greater(0)` is a boolean tensor; `.cast("float32")` makes it 0/1, ready to multiply `dA` with.',
    ],
    solution: `function myReluBackward(dA: tf.Tensor, Z: tf.Tensor): tf.Tensor {
  return dA.mul(Z.greater(0).cast("float32"));
}`,
    grade(answer) {
      const z = [
        [1.5, -0.5, 0, 2],
        [-1, 0.25, -3, 0.5],
      ];
      const dA = [
        [0.1, 0.2, 0.3, -0.4],
        [0.5, -0.6, 0.7, 0.8],
      ];
      const when = "for Z with positive, negative and zero entries";
      const out = tensorOf(call(answer, [tf.tensor(dA), tf.tensor(z)], when), `your gradient ${when}`);
      expectShape(out, [2, 4], `your gradient ${when}`);
      const got = valuesOf(out);
      const flatZ = z.flat(),
        flatD = dA.flat();
      const expected = flatD.map((d, i) => (flatZ[i]! > 0 ? d : 0));
      if (allClose(got, expected)) return "a 2×4 batch, zeros included";
      if (
        allClose(
          got,
          flatZ.map((v) => (v > 0 ? 1 : 0)),
        )
      )
        wrong(`${when} you returned the 0/1 mask itself; multiply dA by it.`);
      if (
        allClose(
          got,
          flatD.map((d) => (d > 0 ? d : 0)),
        )
      )
        wrong(`${when} you tested the sign of dA; the gate depends on Z, the layer's input.`);
      if (
        allClose(
          got,
          flatD.map((d, i) => d * Math.max(0, flatZ[i]!)),
        )
      )
        wrong(`${when} you multiplied by relu(Z); the derivative is a step (0 or 1), not relu itself.`);
      const i = firstDifference(got, expected);
      return wrong(
        `${when} entry ${i + 1} should be ${fmt(expected[i]!)} (Z = ${fmt(flatZ[i]!)}, dA = ${fmt(flatD[i]!)}), you have ${fmt(got[i]!)}.`,
      );
    },
  }),

  /**
   * Exercise 02·5: a gradient by central finite differences.
   * @example check.numericalGradient(myNumericalGradient)
   */
  numericalGradient: exercise<(f: (x: number[]) => number, x: number[], eps: number) => number[]>({
    name: "numericalGradient",
    notebook: "02",
    task: "return, for every i, (f(x + ε·eᵢ) − f(x − ε·eᵢ)) / 2ε: the slope of f along each coordinate",
    hints: [
      "For each coordinate i, evaluate f twice: with x[i] nudged up by eps and nudged down by eps, all other coordinates unchanged.",
      "Work on a copy: `const up = x.slice(); up[i] += eps;` leaves x itself untouched.",
      "The slope is the difference of the two values divided by the distance between the points, 2·eps.",
    ],
    solution: `function myNumericalGradient(f: (x: number[]) => number, x: number[], eps: number): number[] {
  return x.map((_, i) => {
    const up = x.slice(), down = x.slice();
    up[i] += eps;
    down[i] -= eps;
    return (f(up) - f(down)) / (2 * eps);
  });
}`,
    grade(answer) {
      const cases: [string, (x: number[]) => number, (x: number[]) => number[], number[]][] = [
        ["f(x) = x₁² + x₂² + x₃²", (x) => x.reduce((s, v) => s + v * v, 0), (x) => x.map((v) => 2 * v), [1, -2, 3]],
        [
          "f(x) = x₁·x₂ + sin(x₃)",
          (x) => x[0]! * x[1]! + Math.sin(x[2]!),
          (x) => [x[1]!, x[0]!, Math.cos(x[2]!)],
          [0.5, -1.5, 1],
        ],
        ["f(x) = e^x₁", (x) => Math.exp(x[0]!), (x) => [Math.exp(x[0]!)], [1]],
      ];
      const eps = 1e-3;
      for (const [name, f, exact, x0] of cases) {
        const when = `for ${name} at x = ${fmt(x0)} with eps = ${eps}`;
        const x = x0.slice();
        const got = vectorOf(call(answer, [f, x, eps], when), `your gradient ${when}`, x0.length);
        if (!allClose(x, x0, 0))
          wrong(`${when} your function changed x itself (it is now ${fmt(x)}); nudge a copy instead.`);
        const truth = exact(x0);
        if (allClose(got, truth, 1e-5)) continue;
        const forward = x0.map((_, i) => {
          const up = x0.slice();
          up[i]! += eps;
          return (f(up) - f(x0)) / eps;
        });
        if (allClose(got, forward, 1e-9))
          wrong(
            `${when} you used the one-sided difference (f(x + ε) − f(x)) / ε, whose error is about ε·f''/2 (here ${fmt(Math.abs(forward[0]! - truth[0]!))}); the central difference (f(x + ε) − f(x − ε)) / 2ε is far more accurate.`,
          );
        if (
          allClose(
            got,
            truth.map((v) => 2 * v),
            1e-4,
          )
        )
          wrong(`${when} your slopes are twice too large: divide by 2·eps, the distance between the two points.`);
        wrong(`${when} the gradient is ${fmt(truth)}, yours is ${fmt(got)}.`);
      }
      return `${cases.length} functions, against their exact derivatives`;
    },
  }),

  /**
   * Exercise 02·6: ReLU for the notebook's scalar autograd `Value`: forward value and backward step.
   * Pass your function and the `Value` class.
   * @example check.valueRelu(valueRelu, Value)
   */
  valueRelu: exercise<(a: ValueLike) => ValueLike, [ValueClass: new (data: number) => ValueLike]>({
    name: "valueRelu",
    notebook: "02",
    task: "return a new Value max(0, a.data) whose backward step adds out.grad·1[a.data > 0] to a.grad",
    hints: [
      "Follow `tanh` in the Value class: create the output Value with its child, then give it a `backwardStep`.",
      "The local derivative of relu is 1 when the input is positive, else 0; multiply it by `out.grad` and *add* it to `a.grad` (a value can be used more than once).",
      '`const out = new Value(Math.max(0, a.data), [a], "relu"); out.backwardStep = () => { a.grad += (a.data > 0 ? 1 : 0) * out.grad; }; return out;`',
    ],
    solution: `function valueRelu(a: Value): Value {
  const out = new Value(Math.max(0, a.data), [a], "relu");
  out.backwardStep = () => {
    a.grad += (a.data > 0 ? 1 : 0) * out.grad;
  };
  return out;
}`,
    grade(answer, ValueClass) {
      if (typeof ValueClass !== "function")
        wrong("pass the Value class too, as the second argument: check.valueRelu(valueRelu, Value).");
      for (const x of [2.5, -1.5, 0.75]) {
        const when = `for a Value of ${x}`;
        const a = new ValueClass(x);
        const out = call(answer, [a], when);
        if (!out || typeof out.backward !== "function")
          wrong(
            `${when} your function should return a new Value (with a backward step), but it returned ${String(out)}.`,
          );
        if (out === a)
          wrong(`${when} you returned the input itself; make a new Value for the output, so the graph records the op.`);
        const value = numberOf(out.data, `your output's data ${when}`);
        if (!close(value, Math.max(0, x)))
          wrong(`${when} the output's data should be ${fmt(Math.max(0, x))}, but it is ${fmt(value)}.`);
        out.backward();
        const slope = x > 0 ? 1 : 0;
        if (!close(a.grad, slope))
          wrong(
            `${when} after out.backward(), a.grad should be ${slope} (relu's slope there), but it is ${fmt(a.grad)}.`,
          );
      }
      // Used twice: y = relu(a) + relu(a) must give a.grad = 2, which needs += in the backward step.
      const a = new ValueClass(1.25);
      const first = answer(a) as ValueLike & { add?: (o: ValueLike) => ValueLike };
      const second = answer(a);
      if (typeof first.add === "function") {
        first.add(second).backward();
        if (!close(a.grad, 2))
          wrong(
            `for y = relu(a) + relu(a), a.grad should be 2 but it is ${fmt(a.grad)}: accumulate with a.grad += … rather than a.grad = ….`,
          );
      }
      return "positive and negative inputs, and an input used twice (gradients must add up)";
    },
  }) as ValueReluCheck,
};
