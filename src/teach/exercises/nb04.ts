/** Exercises of notebook 04 (regression gradients, convolution sizes and loops, an RNN step, XOR). */
import * as tf from "../../tf.js";
import { call, exercise, wrong } from "../exercise.js";
import {
  allClose,
  caseMatrix,
  caseNumbers,
  close,
  expectShape,
  fmt,
  matrixOf,
  numberOf,
  tensorOf,
  valuesOf,
  vectorOf,
} from "../grading.js";

/** `count` XOR points in [−1, 1]²: label 1 when x₁ and x₂ have the same sign. */
function xorData(count: number, seed: number): { X: tf.Tensor; y: number[] } {
  const v = caseNumbers(2 * count, seed);
  const y = Array.from({ length: count }, (_, i) => (v[2 * i]! * v[2 * i + 1]! > 0 ? 1 : 0));
  return { X: tf.tensor(v, [count, 2]), y };
}

/** Trains logistic regression on standardized features by gradient descent; returns the weights. */
function fitLogistic(F: tf.Tensor, y: number[]): (G: tf.Tensor) => number[] {
  const mean = F.mean(0, true);
  const std = F.sub(mean).square().mean(0, true).sqrt().add(1e-6);
  const design = (G: tf.Tensor) => tf.concat([tf.ones([G.shape[0]!, 1]), G.sub(mean).div(std)], 1);
  const X = design(F);
  const Y = tf.tensor(y, [y.length, 1]);
  let theta = tf.zeros([X.shape[1]!, 1]);
  for (let step = 0; step < 600; step++) {
    const p = tf.sigmoid(X.matMul(theta));
    theta = theta.sub(X.transpose().matMul(p.sub(Y)).div(y.length).mul(1.0));
  }
  const fitted = theta;
  return (G) => valuesOf(tf.sigmoid(design(G).matMul(fitted)));
}

const accuracy = (p: number[], y: number[]) => p.filter((v, i) => (v > 0.5 ? 1 : 0) === y[i]).length / y.length;

export const nb04 = {
  /**
   * Exercise 04·1: the two gradients of linear regression's mean squared error.
   * @example check.linearGradients(myLinearGradients)
   */
  linearGradients: exercise<(x: number[], y: number[], theta0: number, theta1: number) => [number, number]>({
    name: "linearGradients",
    notebook: "04",
    task: "return [∂J/∂θ₀, ∂J/∂θ₁] of J = (1/m)·Σ(θ₀ + θ₁xᵢ − yᵢ)², averaged over all m examples",
    hints: [
      "Both gradients are averages over *all* examples of 2·(ŷᵢ − yᵢ), the second one weighted by xᵢ.",
      "Compute the residuals rᵢ = θ₀ + θ₁xᵢ − yᵢ first; then ∂J/∂θ₀ = mean of 2rᵢ and ∂J/∂θ₁ = mean of 2rᵢxᵢ.",
    ],
    solution: `function myLinearGradients(x: number[], y: number[], theta0: number, theta1: number): [number, number] {
  const r = x.map((xi, i) => theta0 + theta1 * xi - y[i]);
  const g0 = (2 * r.reduce((s, ri) => s + ri, 0)) / x.length;
  const g1 = (2 * r.reduce((s, ri, i) => s + ri * x[i], 0)) / x.length;
  return [g0, g1];
}`,
    grade(answer) {
      const x = caseNumbers(20, 41, 0, 1);
      const y = x.map((v, i) => 2 * v + 1 + caseNumbers(20, 42, -0.5, 0.5)[i]!);
      for (const [t0, t1] of [
        [0.3, -0.2],
        [1, 2],
      ] as [number, number][]) {
        const when = `for 20 points and θ = (${t0}, ${t1})`;
        const got = vectorOf(call(answer, [x.slice(), y.slice(), t0, t1], when), `your gradients ${when}`, 2);
        const r = x.map((xi, i) => t0 + t1 * xi - y[i]!);
        const g0 = (2 * r.reduce((s, v) => s + v, 0)) / x.length;
        const g1 = (2 * r.reduce((s, v, i) => s + v * x[i]!, 0)) / x.length;
        if (allClose(got, [g0, g1])) continue;
        if (allClose(got, [2 * r[0]!, 2 * r[1]!]))
          wrong(
            `${when} you returned the residuals of the first two examples, the article's bug: each gradient is an average over all examples.`,
          );
        if (close(got[0]!, g0) && close(got[1]!, g0))
          wrong(`${when} ∂J/∂θ₁ lacks the factor xᵢ: θ₁ multiplies xᵢ, so the chain rule brings xᵢ down.`);
        if (allClose(got, [g0 / 2, g1 / 2]))
          wrong(`${when} your gradients are half the true ones: the derivative of (ŷ − y)² is 2(ŷ − y).`);
        if (allClose(got, [g0 * x.length, g1 * x.length]))
          wrong(`${when} you summed instead of averaging over the examples.`);
        wrong(`${when} the gradients are ${fmt([g0, g1])}, yours are ${fmt(got)}.`);
      }
      return "20 noisy points at two parameter settings";
    },
  }),

  /**
   * Exercise 04·2: the gradient of logistic regression's cross-entropy, Xᵀ(σ(Xθ) − y)/m.
   * @example check.logisticGradient(myLogisticGradient)
   */
  logisticGradient: exercise<(X: tf.Tensor, y: tf.Tensor, theta: tf.Tensor) => tf.Tensor>({
    name: "logisticGradient",
    notebook: "04",
    task: "return ∇J = Xᵀ(σ(Xθ) − y)/m for X of shape [m, d] (a column of ones included), y [m, 1], θ [d, 1]",
    hints: [
      "First the probabilities p = σ(Xθ): without the sigmoid you are back at the article's bug.",
      "`X.transpose().matMul(p.sub(y)).div(X.shape[0])` has the shape of θ, [d, 1].",
    ],
    solution: `function myLogisticGradient(X: tf.Tensor, y: tf.Tensor, theta: tf.Tensor): tf.Tensor {
  const p = tf.sigmoid(X.matMul(theta));
  return X.transpose().matMul(p.sub(y)).div(X.shape[0]);
}`,
    grade(answer) {
      const m = 12;
      const feats = caseMatrix(m, 2, 43, -2, 2);
      const X = tf.tensor(feats.map((r) => [1, ...r]));
      const y = tf.tensor(feats.map((r) => [r[0]! + 0.5 * r[1]! > 0 ? 1 : 0]));
      const theta = tf.tensor([[0.2], [-0.5], [0.8]]);
      const when = "for 12 examples with 2 features plus the column of ones";
      const out = tensorOf(call(answer, [X, y, theta], when), `your gradient ${when}`);
      expectShape(out, [3, 1], `your gradient ${when}`, "It has the shape of θ: Xᵀ (d×m) times the m errors.");
      const got = valuesOf(out);
      const auto = valuesOf(
        tf.grad((t: tf.Tensor) => {
          const p = tf.sigmoid(X.matMul(t));
          return y
            .mul(p.log())
            .add(tf.sub(1, y).mul(tf.sub(1, p).log()))
            .mean()
            .neg();
        })(theta),
      );
      if (allClose(got, auto, 1e-4)) return "12 examples, against tf.grad of the mean binary cross-entropy";
      if (allClose(got, valuesOf(X.transpose().matMul(X.matMul(theta).sub(y)).div(m)), 1e-4))
        wrong(`${when} you used the raw score Xθ instead of σ(Xθ): the sigmoid is missing (the article's second bug).`);
      if (
        allClose(
          got,
          auto.map((v) => v * m),
          1e-4,
        )
      )
        wrong(`${when} divide by the number of examples m.`);
      return wrong(`${when} tf.grad finds ${fmt(auto)}, you have ${fmt(got)}.`);
    },
  }),

  /**
   * Exercise 04·3 (stretch): features that make XOR separable by a straight line (logistic regression).
   * @example check.xorFeatures(myXorFeatures)
   */
  xorFeatures: exercise<(X: tf.Tensor) => tf.Tensor>({
    name: "xorFeatures",
    notebook: "04",
    task: "map points X [n, 2] to features [n, d] (d ≤ 8) computed from each point alone, such that logistic regression on them separates XOR (label 1 when x₁ and x₂ have the same sign)",
    hints: [
      "In the plane no straight line separates XOR; a new feature can make it easy. Which single number is positive exactly when x₁ and x₂ have the same sign?",
      "The product x₁·x₂. Keep the original two columns too: `tf.concat([X, X.slice([0, 0], [-1, 1]).mul(X.slice([0, 1], [-1, 1]))], 1)`.",
    ],
    solution: `function myXorFeatures(X: tf.Tensor): tf.Tensor {
  const product = X.slice([0, 0], [-1, 1]).mul(X.slice([0, 1], [-1, 1]));
  return tf.concat([X, product], 1);
}`,
    grade(answer) {
      const train = xorData(300, 52);
      const test = xorData(300, 53);
      const when = "for 300 XOR points";
      const F = tensorOf(call(answer, [train.X], when), `your features ${when}`);
      if (F.rank !== 2 || F.shape[0] !== 300)
        wrong(`${when} your features have shape [${F.shape}]; they should be [300, d].`);
      if (F.shape[1]! > 8)
        wrong(`${when} you made ${F.shape[1]} features; 8 are plenty (the point is to find the right one).`);
      const G = tensorOf(call(answer, [test.X], "for 300 new XOR points"), "your features for new points");
      const single = tensorOf(
        call(answer, [test.X.slice(0, 1)], "for a single point"),
        "your features for a single point",
      );
      if (!allClose(valuesOf(single), valuesOf(G).slice(0, F.shape[1]!), 1e-5))
        wrong(
          "the features of a point must depend on that point alone (a single point gave different features than the same point in a batch).",
        );
      const predict = fitLogistic(F, train.y);
      const acc = accuracy(predict(G), test.y);
      if (acc < 0.95)
        wrong(
          `with your features, logistic regression classifies only ${fmt(acc * 100)} % of new XOR points correctly (a straight line in feature space still does not separate them); it should reach 95 %.`,
        );
      return `300 new points: logistic regression on your features classifies ${fmt(acc * 100)} % correctly`;
    },
  }),
  /**
   * Exercise 04·4: the output size of a convolution or pooling along one side.
   * @example check.convOutputSize(myConvOutputSize)
   */
  convOutputSize: exercise<(size: number, kernel: number, stride: number, padding: "valid" | "same") => number>({
    name: "convOutputSize",
    notebook: "04",
    task: 'return how many positions a window of width kernel takes along a side of length size, moving by stride, for padding "valid" (no padding) or "same" (padded so only the stride shrinks the side)',
    hints: [
      'With "valid", the window\'s left edge can sit at 0, stride, 2·stride, … as long as the window still fits: the last start is size − kernel.',
      '"valid": ⌊(size − kernel)/stride⌋ + 1. "same": ⌈size/stride⌉.',
    ],
    solution: `function myConvOutputSize(size: number, kernel: number, stride: number, padding: "valid" | "same"): number {
  return padding === "same" ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}`,
    grade(answer) {
      const cases: [number, number, number, "valid" | "same"][] = [
        [28, 3, 1, "valid"],
        [32, 3, 1, "valid"],
        [30, 2, 2, "valid"],
        [13, 2, 2, "valid"],
        [28, 3, 2, "valid"],
        [28, 5, 1, "same"],
        [28, 3, 2, "same"],
        [7, 3, 2, "same"],
      ];
      for (const [size, kernel, stride, padding] of cases) {
        const when = `for size ${size}, kernel ${kernel}, stride ${stride}, padding "${padding}"`;
        const got = numberOf(call(answer, [size, kernel, stride, padding], when), `your size ${when}`);
        const expected = padding === "same" ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
        if (got === expected) continue;
        if (padding === "valid" && got === expected - 1)
          wrong(`${when} you are one short: a window that starts at 0 also counts (the formula ends with + 1).`);
        if (!Number.isInteger(got))
          wrong(
            `${when} ${fmt(got)} is not a whole number of positions: round down (Math.floor) for "valid", up (Math.ceil) for "same".`,
          );
        wrong(`${when} the output side is ${expected}, not ${got}.`);
      }
      return `${cases.length} layers of this notebook's CNN and others, valid and same, strides 1 and 2`;
    },
  }),

  /**
   * Exercise 04·5: a "valid" 2-D convolution (as deep-learning libraries compute it) with loops.
   * @example check.conv2dValid(myConv2d)
   */
  conv2dValid: exercise<(image: number[][], kernel: number[][]) => number[][]>({
    name: "conv2dValid",
    notebook: "04",
    task: "return out[i][j] = Σᵤ Σᵥ image[i+u][j+v]·kernel[u][v] for every position where the kernel fits inside the image",
    hints: [
      "For an n×n image and a k×k kernel the output is (n − k + 1)×(n − k + 1).",
      "Four nested loops: i and j over the output, u and v over the kernel; do not flip the kernel.",
    ],
    solution: `function myConv2d(image: number[][], kernel: number[][]): number[][] {
  const k = kernel.length, rows = image.length - k + 1, cols = image[0].length - kernel[0].length + 1;
  return Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => {
      let sum = 0;
      for (let u = 0; u < k; u++) for (let v = 0; v < kernel[0].length; v++) sum += image[i + u][j + v] * kernel[u][v];
      return sum;
    }),
  );
}`,
    grade(answer) {
      const cases: [number[][], number[][]][] = [
        [
          caseMatrix(5, 5, 44, 0, 1),
          [
            [1, 2, 0],
            [0, -1, 0],
            [0, 0, 3],
          ],
        ],
        [caseMatrix(6, 4, 45, -1, 1), caseMatrix(2, 2, 46)],
      ];
      for (const [image, kernel] of cases) {
        const [n, w, k, kw] = [image.length, image[0]!.length, kernel.length, kernel[0]!.length];
        const when = `for a ${n}×${w} image and a ${k}×${kw} kernel`;
        const conv = (ker: number[][]) =>
          Array.from({ length: n - k + 1 }, (_, i) =>
            Array.from({ length: w - kw + 1 }, (_, j) => {
              let s = 0;
              for (let u = 0; u < k; u++) for (let v = 0; v < kw; v++) s += image[i + u]![j + v]! * ker[u]![v]!;
              return s;
            }),
          );
        const got = matrixOf(
          call(answer, [image.map((r) => r.slice()), kernel.map((r) => r.slice())], when),
          `your output ${when}`,
        );
        if (got.length !== n - k + 1 || got[0]?.length !== w - kw + 1)
          wrong(
            `${when} your output is ${got.length}×${got[0]?.length ?? 0}; it should be ${n - k + 1}×${w - kw + 1} (the kernel must fit entirely inside the image).`,
          );
        const expected = conv(kernel);
        if (allClose(got.flat(), expected.flat())) continue;
        const flipped = kernel.map((r) => r.slice().reverse()).reverse();
        if (allClose(got.flat(), conv(flipped).flat()))
          wrong(
            `${when} you flipped the kernel: that is convolution as mathematicians define it; tf.conv2d (like every deep-learning library) slides the kernel unflipped (cross-correlation).`,
          );
        wrong(`${when} out[0][0] should be ${fmt(expected[0]![0]!)}, yours is ${fmt(got[0]![0]!)}.`);
      }
      return "a 5×5 image with a 3×3 kernel and a 6×4 image with a 2×2 kernel";
    },
  }),

  /**
   * Exercise 04·6: one step of a simple RNN, h = tanh(x·W + h_prev·U + b), for a batch.
   * @example check.rnnStep(myRnnStep)
   */
  rnnStep: exercise<(x: tf.Tensor, hPrev: tf.Tensor, W: tf.Tensor, U: tf.Tensor, b: tf.Tensor) => tf.Tensor>({
    name: "rnnStep",
    notebook: "04",
    task: "return tanh(x·W + hPrev·U + b) for x [batch, inputs], hPrev [batch, units], W [inputs, units], U [units, units], b [units]",
    hints: [
      "Two matrix products, one for the new input and one for the previous state, both giving [batch, units].",
      "`tf.tanh(x.matMul(W).add(hPrev.matMul(U)).add(b))`",
    ],
    solution: `function myRnnStep(x: tf.Tensor, hPrev: tf.Tensor, W: tf.Tensor, U: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tanh(x.matMul(W).add(hPrev.matMul(U)).add(b));
}`,
    grade(answer) {
      const [x, h, W, U, b] = [
        tf.tensor(caseMatrix(3, 4, 47)),
        tf.tensor(caseMatrix(3, 5, 48)),
        tf.tensor(caseMatrix(4, 5, 49)),
        tf.tensor(caseMatrix(5, 5, 50)),
        tf.tensor(caseNumbers(5, 51, -0.2, 0.2)),
      ];
      const when = "for a batch of 3, 4 inputs and 5 units";
      const out = tensorOf(call(answer, [x, h, W, U, b], when), `your new state ${when}`);
      expectShape(out, [3, 5], `your new state ${when}`, "It has one row per sequence and one column per unit.");
      const got = valuesOf(out);
      const z = x.matMul(W).add(h.matMul(U)).add(b);
      if (allClose(got, valuesOf(tf.tanh(z)))) return "a batch of 3 sequences";
      if (allClose(got, valuesOf(z))) wrong(`${when} the tanh is missing.`);
      if (allClose(got, valuesOf(tf.tanh(x.matMul(W).add(b)))))
        wrong(`${when} the previous state does not enter: add hPrev·U, the network's memory.`);
      return wrong(
        `${when} the values are wrong: row 1 should be ${fmt(valuesOf(tf.tanh(z)).slice(0, 5))}, yours is ${fmt(got.slice(0, 5))}.`,
      );
    },
  }),
};
