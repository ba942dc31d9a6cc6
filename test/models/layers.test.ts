import { describe, expect, test, beforeAll } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { layers, input, sequential, type Layer } from "../../src/models/index.js";
import { tfc, tfl, oracleReady } from "./tfjs-oracle.js";
import { values, expectClose, randomTensor, checkWeightGradients } from "./helpers.js";

beforeAll(oracleReady);

/** Runs our layer and the TF.js layer made from the same options on the same input, with our weights copied over. */
function compareWithTfjs(
  ours: Layer,
  theirs: { apply: (x: unknown, k?: unknown) => unknown; setWeights: (w: unknown[]) => void },
  x: tf.Tensor,
  training = false,
  tol = 1e-5,
) {
  const y = ours.apply(x, { training }) as tf.Tensor | tf.Tensor[];
  const xt = tfc.tensor(values(x), x.shape);
  theirs.apply(xt);
  theirs.setWeights(ours.getWeights().map((w) => tfc.tensor(values(w), w.shape)));
  const yt = theirs.apply(xt, { training }) as
    | { dataSync(): Float32Array; shape: number[] }
    | { dataSync(): Float32Array; shape: number[] }[];
  const ys = Array.isArray(y) ? y : [y];
  const yts = Array.isArray(yt) ? yt : [yt];
  expect(ys.length).toBe(yts.length);
  ys.forEach((t, i) => {
    expect(t.shape).toEqual(yts[i].shape);
    expectClose(values(t), Array.from(yts[i].dataSync()), tol);
  });
  return ys;
}

function symbolicShape(layer: Layer, shape: (number | null)[]): unknown {
  const out = layer.apply(input({ batchShape: shape }));
  return Array.isArray(out) ? out.map((o) => o.shape) : out.shape;
}

describe("dense", () => {
  test("shape, values and gradients match TF.js / finite differences", () => {
    const x = randomTensor([3, 4], 1);
    const ours = layers.dense({ units: 5, activation: "tanh" });
    compareWithTfjs(ours, tfl.layers.dense({ units: 5, activation: "tanh" }), x);
    expect(symbolicShape(layers.dense({ units: 5 }), [null, 4])).toEqual([null, 5]);
    expect(ours.countParams()).toBe(4 * 5 + 5);
    checkWeightGradients(ours, x);
    expect(tf.gradCheck((xx) => ours.apply(xx) as tf.Tensor, [x]).ok).toBe(true);
  });

  test("applies to the last axis of rank-3 inputs and respects useBias", () => {
    const x = randomTensor([2, 3, 4], 2);
    const ours = layers.dense({ units: 2, useBias: false });
    compareWithTfjs(ours, tfl.layers.dense({ units: 2, useBias: false }), x);
    expect(ours.weights.length).toBe(1);
    expect((ours.apply(x) as tf.Tensor).shape).toEqual([2, 3, 2]);
  });

  test("rejects inputs of the wrong width with a clear message", () => {
    const d = layers.dense({ units: 2 });
    d.apply(randomTensor([1, 3], 3));
    expect(() => d.apply(randomTensor([1, 4], 3))).toThrow(/last dimension 3/);
    expect(() => layers.dense({ units: 0 })).toThrow(/units must be a positive integer/);
  });
});

describe("activations", () => {
  for (const name of [
    "relu",
    "relu6",
    "elu",
    "selu",
    "sigmoid",
    "hardSigmoid",
    "tanh",
    "softmax",
    "softplus",
    "softsign",
    "swish",
    "linear",
  ]) {
    test(`${name} matches TF.js`, () => {
      const x = randomTensor([2, 6], 4, -3, 3);
      compareWithTfjs(layers.activation({ activation: name }), tfl.layers.activation({ activation: name }), x);
    });
  }
  test("snake_case names are accepted and unknown names explain themselves", () => {
    const y = layers.activation({ activation: "hard_sigmoid" }).apply(tf.tensor([[-10, 0, 10]])) as tf.Tensor;
    expect(values(y)).toEqual([0, 0.5, 1]);
    expect(() => layers.activation({ activation: "wiggle" })).toThrow(/Unknown activation 'wiggle'/);
  });
});

describe("convolution and pooling", () => {
  test("conv2d (same padding, stride 2) matches TF.js, gradients check", () => {
    const x = randomTensor([2, 5, 5, 2], 5);
    const opts = { filters: 3, kernelSize: 3, strides: 2, padding: "same" as const, activation: "tanh" };
    const ours = layers.conv2d(opts);
    const [y] = compareWithTfjs(ours, tfl.layers.conv2d(opts), x);
    expect(y.shape).toEqual([2, 3, 3, 3]);
    expect(symbolicShape(layers.conv2d({ filters: 4, kernelSize: [3, 2] }), [null, 28, 28, 1])).toEqual([
      null,
      26,
      27,
      4,
    ]);
    checkWeightGradients(ours, x);
    expect(tf.gradCheck((xx) => ours.apply(xx) as tf.Tensor, [x]).ok).toBe(true);
  });

  test("conv1d matches TF.js", () => {
    const x = randomTensor([2, 7, 3], 6);
    const opts = { filters: 4, kernelSize: 3, activation: "linear" };
    const ours = layers.conv1d(opts);
    const [y] = compareWithTfjs(ours, tfl.layers.conv1d(opts), x);
    expect(y.shape).toEqual([2, 5, 4]);
    checkWeightGradients(ours, x);
  });

  test("max/average pooling (valid and same) and global average pooling match TF.js", () => {
    const x = randomTensor([2, 5, 5, 3], 7);
    compareWithTfjs(layers.maxPooling2d({ poolSize: 2 }), tfl.layers.maxPooling2d({ poolSize: 2 }), x);
    compareWithTfjs(
      layers.averagePooling2d({ poolSize: 2, padding: "same" }),
      tfl.layers.averagePooling2d({ poolSize: 2, padding: "same" }),
      x,
    );
    compareWithTfjs(layers.globalAveragePooling2d({}), tfl.layers.globalAveragePooling2d({}), x);
    expect(symbolicShape(layers.maxPooling2d({ poolSize: [2, 2] }), [null, 26, 26, 32])).toEqual([null, 13, 13, 32]);
    expect(symbolicShape(layers.globalAveragePooling2d(), [null, 7, 7, 8])).toEqual([null, 8]);
    const avg = layers.averagePooling2d({ poolSize: 2 });
    expect(tf.gradCheck((xx) => avg.apply(xx) as tf.Tensor, [x]).ok).toBe(true);
  });
});

describe("shape layers", () => {
  test("flatten and reshape", () => {
    const x = randomTensor([2, 3, 4], 8);
    expect((layers.flatten().apply(x) as tf.Tensor).shape).toEqual([2, 12]);
    expect((layers.reshape({ targetShape: [4, -1] }).apply(x) as tf.Tensor).shape).toEqual([2, 4, 3]);
    expect(symbolicShape(layers.flatten(), [null, 3, 4])).toEqual([null, 12]);
    expect(symbolicShape(layers.reshape({ targetShape: [2, 6] }), [null, 3, 4])).toEqual([null, 2, 6]);
    expect(() => layers.reshape({ targetShape: [5] }).apply(x)).toThrow(/cannot reshape/);
    expect(values(layers.flatten().apply(x) as tf.Tensor)).toEqual(values(x));
  });

  test("dropout is the identity in inference and drops about `rate` in training, scaling the rest", () => {
    tf.setSeed(3);
    const x = tf.ones([100, 100]);
    const d = layers.dropout({ rate: 0.3 });
    expect(values(d.apply(x) as tf.Tensor)).toEqual(values(x));
    const y = values(d.apply(x, { training: true }) as tf.Tensor);
    const zeros = y.filter((v) => v === 0).length / y.length;
    expect(zeros).toBeGreaterThan(0.27);
    expect(zeros).toBeLessThan(0.33);
    for (const v of y) if (v !== 0) expect(v).toBeCloseTo(1 / 0.7, 5);
    const seeded = () =>
      values(layers.dropout({ rate: 0.5, seed: 7 }).apply(tf.ones([50]), { training: true }) as tf.Tensor);
    expect(seeded()).toEqual(seeded());
  });
});

describe("batch normalization", () => {
  test("training and inference outputs and the moving averages match TF.js", () => {
    const x = randomTensor([6, 4], 9, -2, 3);
    const ours = layers.batchNormalization({ momentum: 0.9 });
    const theirs = tfl.layers.batchNormalization({ momentum: 0.9 });
    const xt = tfc.tensor(values(x), x.shape);
    ours.apply(x);
    theirs.apply(xt);
    theirs.setWeights(ours.getWeights().map((w) => tfc.tensor(values(w), w.shape)));
    const y = ours.apply(x, { training: true }) as tf.Tensor;
    const yt = theirs.apply(xt, { training: true });
    expectClose(values(y), Array.from(yt.dataSync() as Float32Array), 1e-4);
    const moving = ours.getWeights().slice(2);
    const movingT = theirs.getWeights().slice(2);
    expect(values(moving[0]).some((v) => v !== 0)).toBe(true);
    moving.forEach((t, i) => expectClose(values(t), Array.from(movingT[i].dataSync() as Float32Array), 1e-5));
    compareWithTfjs(
      layers.batchNormalization({ momentum: 0.9 }),
      tfl.layers.batchNormalization({ momentum: 0.9 }),
      x,
      false,
    );
    expect(ours.trainableWeights.length).toBe(2);
    expect(ours.nonTrainableWeights.map((v) => v.originalName.split("/")[1])).toEqual([
      "moving_mean",
      "moving_variance",
    ]);
    checkWeightGradients(ours, x, { training: true });
  });
});

describe("embedding", () => {
  test("looks up rows, matches TF.js, and gets gradients only on used rows", () => {
    const ids = tf.tensor(
      [
        [0, 2, 1],
        [3, 3, 0],
      ],
      [2, 3],
      "float32",
    );
    const ours = layers.embedding({ inputDim: 5, outputDim: 4 });
    const [y] = compareWithTfjs(ours, tfl.layers.embedding({ inputDim: 5, outputDim: 4 }), ids);
    expect(y.shape).toEqual([2, 3, 4]);
    const table = ours.getWeights()[0];
    expect(values(tf.slice(y, [0, 1, 0], [1, 1, 4]))).toEqual(values(tf.slice(table, [2, 0], [1, 4])));
    const { grads } = tf.variableGrads(
      () => tf.sum(ours.apply(ids) as tf.Tensor),
      ours.trainableWeights.map((w) => w.read()),
    );
    const g = values(Object.values(grads)[0]);
    expect(g.slice(16, 20)).toEqual([0, 0, 0, 0]); // id 4 unused
    expect(g.slice(12, 16)).toEqual([2, 2, 2, 2]); // id 3 used twice
  });
});

describe("recurrent layers", () => {
  const x = () => randomTensor([2, 4, 3], 10);
  test("simpleRNN (last step and sequences) matches TF.js and checks gradients", () => {
    const ours = layers.simpleRNN({ units: 5 });
    const [y] = compareWithTfjs(ours, tfl.layers.simpleRNN({ units: 5 }), x());
    expect(y.shape).toEqual([2, 5]);
    const seq = layers.simpleRNN({ units: 5, returnSequences: true });
    const [ys] = compareWithTfjs(seq, tfl.layers.simpleRNN({ units: 5, returnSequences: true }), x());
    expect(ys.shape).toEqual([2, 4, 5]);
    checkWeightGradients(ours, x());
    expect(tf.gradCheck((xx) => ours.apply(xx) as tf.Tensor, [x()]).ok).toBe(true);
  });

  test("simpleRNN's fused recurrence gives the outputs and gradients of the step-by-step one", () => {
    // A custom activation function runs the generic op-by-op loop; a named one the fused node.
    const cases = [
      { activation: "tanh", generic: (v: tf.Tensor) => tf.tanh(v) },
      { activation: "relu", generic: (v: tf.Tensor) => tf.relu(v) },
      { activation: "sigmoid", generic: (v: tf.Tensor) => tf.sigmoid(v) },
    ];
    for (const { activation, generic } of cases) {
      for (const [returnSequences, goBackwards] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ]) {
        const fused = layers.simpleRNN({ units: 4, activation, returnSequences, goBackwards });
        const plain = layers.simpleRNN({ units: 4, activation: generic, returnSequences, goBackwards });
        const xs = x();
        const h0 = randomTensor([2, 4], 11);
        fused.apply(xs);
        plain.apply(xs);
        plain.setWeights(fused.getWeights());
        const run = (layer: Layer) => {
          const weights = layer.trainableWeights.map((w) => w.read());
          const f = (input: tf.Tensor, state: tf.Tensor, ...w: tf.Tensor[]) => {
            void w;
            const out = layer.apply(input, { initialState: [state] }) as tf.Tensor;
            return tf.sum(tf.mul(out, tf.range(1, out.size + 1).reshape(out.shape)));
          };
          return tf
            .grads(f)([xs, h0, ...weights])
            .map((g) => values(g));
        };
        const a = run(fused);
        const b = run(plain);
        expect(a.length).toBe(5);
        a.forEach((g, i) => expectClose(g, b[i], 1e-5));
        expectClose(values(fused.apply(xs) as tf.Tensor), values(plain.apply(xs) as tf.Tensor), 1e-6);
      }
    }
  });

  test("lstm with returnState matches TF.js (outputs, h, c) and checks gradients", () => {
    const opts = { units: 3, returnSequences: true, returnState: true };
    const ours = layers.lstm(opts);
    const outs = compareWithTfjs(ours, tfl.layers.lstm(opts), x());
    expect(outs.map((o) => o.shape)).toEqual([
      [2, 4, 3],
      [2, 3],
      [2, 3],
    ]);
    expect(symbolicShape(layers.lstm(opts), [null, 4, 3])).toEqual([
      [null, 4, 3],
      [null, 3],
      [null, 3],
    ]);
    const last = layers.lstm({ units: 3, recurrentActivation: "sigmoid" });
    compareWithTfjs(last, tfl.layers.lstm({ units: 3, recurrentActivation: "sigmoid" }), x());
    checkWeightGradients(last, x());
  });

  test("gru matches TF.js and checks gradients", () => {
    const ours = layers.gru({ units: 4, recurrentActivation: "sigmoid" });
    compareWithTfjs(ours, tfl.layers.gru({ units: 4, recurrentActivation: "sigmoid" }), x());
    const back = layers.gru({ units: 2, goBackwards: true, returnSequences: true });
    compareWithTfjs(back, tfl.layers.gru({ units: 2, goBackwards: true, returnSequences: true }), x());
    checkWeightGradients(ours, x());
  });
});

describe("regularizers", () => {
  test("kernel l2 penalty is added to the training loss", async () => {
    const make = (reg: boolean) => {
      tf.setSeed(11);
      const m = sequential();
      m.add(
        layers.dense({
          units: 3,
          inputShape: [2],
          kernelInitializer: "ones",
          kernelRegularizer: reg ? "l2" : undefined,
        }),
      );
      m.compile({ optimizer: "sgd", loss: "meanSquaredError" });
      return m;
    };
    const x = tf.tensor([[1, 2]]);
    const y = tf.tensor([[0, 0, 0]]);
    const plain = (await make(false).trainOnBatch(x, y)) as number;
    const withL2 = (await make(true).trainOnBatch(x, y)) as number;
    expect(withL2 - plain).toBeCloseTo(0.01 * 6, 5); // six kernel entries equal to 1
  });
});
