/**
 * The factories the catalog does not run on a concrete input (inputs, cells), the options where
 * deepts goes beyond TF.js 4.22 (causal conv1d, any ELU alpha, softmax and batch norm on any axis,
 * subtract, the globalAvgPool aliases), and behaviour only visible in training (recurrent dropout,
 * randomWidth), each checked against TF.js or a direct computation.
 */
import { beforeAll, describe, expect, test } from "vitest";
import * as tf from "../../src/tf.js";
import { tfc, tfl, oracleReady } from "./tfjs-oracle.js";
import { values, expectClose, randomTensor, checkWeightGradients } from "./helpers.js";

beforeAll(oracleReady);

type Any = ReturnType<typeof JSON.parse>;
const toTheirs = (t: tf.Tensor) => tfc.tensor(values(t), t.shape);

describe("recurrent dropout in fit", () => {
  // First in the file: tensors other tests leave to the garbage collector would blur the count.
  test("fit trains recurrent layers with dropout (lstm, convLstm2d, stacked cells) without leaking tensors", async () => {
    for (const layer of [
      tf.layers.lstm({ units: 4, dropout: 0.3, recurrentDropout: 0.3, inputShape: [5, 3] }),
      tf.layers.rnn({
        cell: [
          tf.layers.gruCell({ units: 3, dropout: 0.3 }),
          tf.layers.simpleRNNCell({ units: 2, recurrentDropout: 0.4 }),
        ],
        inputShape: [5, 3],
      }),
      tf.layers.convLstm2d({
        filters: 2,
        kernelSize: 2,
        dropout: 0.3,
        recurrentDropout: 0.3,
        inputShape: [3, 4, 4, 1],
      }),
    ]) {
      const conv = layer.getClassName() === "ConvLSTM2D";
      const m = tf.sequential({
        layers: conv
          ? [layer, tf.layers.flatten(), tf.layers.dense({ units: 1 })]
          : [layer, tf.layers.dense({ units: 1 })],
      });
      m.compile({ optimizer: "adam", loss: "meanSquaredError" });
      const x = randomTensor([16, ...(layer.batchInputShape!.slice(1) as number[])], 42);
      const y = randomTensor([16, 1], 43);
      await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
      const live = tf.memory().numTensors;
      const h = await m.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
      expect(
        h.history.loss.every((v) => Number.isFinite(v)),
        layer.getClassName(),
      ).toBe(true);
      expect(tf.memory().numTensors, layer.getClassName()).toBe(live);
    }
  });
});

describe("inputs and cells", () => {
  test("tf.layers.input and inputLayer make the same entry as TF.js's", () => {
    const x = tf.layers.input({ shape: [3, 2], name: "seq" });
    expect(x.shape).toEqual([null, 3, 2]);
    expect(x.sourceLayer.getConfig()).toEqual(tfl.layers.input({ shape: [3, 2], name: "seq" }).sourceLayer.getConfig());
    const m = tf.sequential();
    m.add(tf.layers.inputLayer({ inputShape: [4] }));
    m.add(tf.layers.dense({ units: 2 }));
    expect(m.layers.map((l) => l.getClassName())).toEqual(["Dense"]);
    expect(m.outputShape).toEqual([null, 2]);
    expect(() => tf.input({} as never)).toThrow(/needs a `shape`/);
  });

  for (const [factory, args, states] of [
    ["simpleRNNCell", { units: 3 }, [[2, 3]]],
    [
      "lstmCell",
      { units: 3, unitForgetBias: true },
      [
        [2, 3],
        [2, 3],
      ],
    ],
    ["gruCell", { units: 3 }, [[2, 3]]],
  ] as const) {
    test(`${factory}: one step, weights and config as TF.js's`, () => {
      const ours = (tf.layers as Any)[factory](args);
      const theirs = tfl.layers[factory](args);
      expect(ours.getClassName()).toBe(theirs.getClassName());
      expect(ours.stateSize).toEqual(theirs.stateSize);
      ours.build([2, 4]);
      theirs.build([2, 4]);
      if (factory === "lstmCell") {
        // unitForgetBias starts the forget gate's bias at 1.
        expect(values(ours.bias.read()).slice(3, 6)).toEqual([1, 1, 1]);
      }
      ours.setWeights(ours.getWeights().map((w: tf.Tensor, i: number) => randomTensor(w.shape, 10 + i, -0.5, 0.5)));
      theirs.setWeights(ours.getWeights().map(toTheirs));
      const x = randomTensor([2, 4], 20);
      const s = states.map((shape, i) => randomTensor([...shape], 21 + i));
      const y = ours.call([x, ...s], {}) as tf.Tensor[];
      const yt = theirs.call([toTheirs(x), ...s.map(toTheirs)], {});
      y.forEach((t, i) => expectClose(values(t), Array.from(yt[i].dataSync() as Float32Array), 1e-5));
    });
  }

  test("stackedRNNCells and convLstm2dCell: class names, state sizes and configs as TF.js's", () => {
    const stacked = tf.layers.stackedRNNCells({
      cells: [tf.layers.lstmCell({ units: 2 }), tf.layers.gruCell({ units: 3 })],
    });
    const theirs = tfl.layers.stackedRNNCells({
      cells: [tfl.layers.lstmCell({ units: 2 }), tfl.layers.gruCell({ units: 3 })],
    });
    expect(stacked.getClassName()).toBe(theirs.getClassName());
    expect(stacked.stateSize).toEqual(theirs.stateSize);
    expect((stacked.getConfig().cells as Any[]).map((c) => c.className)).toEqual(
      theirs.getConfig().cells.map((c: Any) => c.className),
    );
    const conv = tf.layers.convLstm2dCell({ filters: 2, kernelSize: 3 });
    const convTheirs = tfl.layers.convLstm2dCell({ filters: 2, kernelSize: 3 });
    expect(conv.getClassName()).toBe(convTheirs.getClassName());
    expect(conv.stateSize).toEqual(convTheirs.stateSize);
    const { name: _a, ...ourConfig } = conv.getConfig();
    const { name: _b, ...theirConfig } = convTheirs.getConfig();
    expect(Object.keys(ourConfig).sort()).toEqual(Object.keys(theirConfig).sort());
  });
});

describe("beyond TF.js 4.22", () => {
  test("conv1d padding 'causal': step t sees steps ≤ t (left zero-padding), with gradients", () => {
    const x = randomTensor([2, 6, 3], 30);
    const layer = tf.layers.conv1d({ filters: 2, kernelSize: 3, padding: "causal", dilationRate: 2 });
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 6, 2]);
    const padded = tf.pad(x, [
      [0, 0],
      [4, 0],
      [0, 0],
    ]);
    const expected = tf.add(tf.conv1d(padded, layer.getWeights()[0], 1, "valid", "NWC", 2), layer.getWeights()[1]);
    expectClose(values(y), values(expected), 1e-6);
    checkWeightGradients(layer, x);
  });

  test("elu with alpha ≠ 1, softmax over a middle axis, batch norm over axis 1, subtract", () => {
    const x = randomTensor([2, 3, 4], 31, -2, 2);
    const elu = tf.layers.elu({ alpha: 0.5 }).apply(x) as tf.Tensor;
    expectClose(values(elu), values(tf.where(tf.greater(x, 0), x, tf.mul(0.5, tf.sub(tf.exp(x), 1)))), 1e-6);
    const soft = tf.layers.softmax().apply(x) as tf.Tensor; // axis 1 (TF.js's default; TF.js itself fails on rank 3)
    const e = tf.exp(x);
    expectClose(values(soft), values(tf.div(e, tf.sum(e, 1, true))), 1e-6);
    const bn = tf.layers.batchNormalization({ axis: 1 });
    bn.apply(x);
    const [gamma, beta, mean, variance] = [
      [1, 2, 3],
      [0.1, 0.2, 0.3],
      [0.5, -0.5, 0],
      [2, 3, 4],
    ].map((v) => tf.tensor(v));
    bn.setWeights([gamma, beta, mean, variance]);
    const r = (t: tf.Tensor) => tf.reshape(t, [1, 3, 1]);
    const expected = tf.add(tf.mul(tf.div(tf.sub(x, r(mean)), tf.sqrt(tf.add(r(variance), 1e-3))), r(gamma)), r(beta));
    expectClose(values(bn.apply(x) as tf.Tensor), values(expected), 1e-5);
    const a = randomTensor([2, 3], 32);
    const b = randomTensor([2, 3], 33);
    expectClose(values(tf.layers.subtract().apply([a, b]) as tf.Tensor), values(tf.sub(a, b)), 1e-7);
    expect(() => tf.layers.subtract().apply([a, b, a])).toThrow(/exactly 2 inputs/);
  });

  test("globalAvgPool1d/2d are aliases of globalAveragePooling1d/2d", () => {
    expect(tf.layers.globalAvgPool1d().getClassName()).toBe("GlobalAveragePooling1D");
    expect(tf.layers.globalAvgPool2d().getClassName()).toBe("GlobalAveragePooling2D");
    expect(tf.layers.maxPool3d().getClassName()).toBe("MaxPooling3D");
  });
});

describe("training-only behaviour", () => {
  test("recurrent dropout masks act in training only, one mask per sequence", () => {
    const layer = tf.layers.simpleRNN({ units: 4, dropout: 0.5, recurrentDropout: 0.5, returnSequences: true });
    const theirs = tfl.layers.simpleRNN({ units: 4, dropout: 0.5, recurrentDropout: 0.5, returnSequences: true });
    const x = randomTensor([3, 5, 2], 40);
    layer.apply(x);
    theirs.apply(toTheirs(x));
    theirs.setWeights(layer.getWeights().map(toTheirs));
    const inference = layer.apply(x) as tf.Tensor;
    expectClose(values(inference), Array.from(theirs.apply(toTheirs(x)).dataSync() as Float32Array), 1e-5);
    tf.setSeed(7);
    const a = values(layer.apply(x, { training: true }) as tf.Tensor);
    tf.setSeed(7);
    const b = values(layer.apply(x, { training: true }) as tf.Tensor);
    expect(a).toEqual(b);
    expect(a).not.toEqual(values(inference));
    checkWeightGradients(tf.layers.gru({ units: 2, dropout: 0.3, recurrentDropout: 0.3 }), x, { training: false });
  });

  test("randomWidth stretches images in training and passes them through in inference", () => {
    const x = randomTensor([1, 3, 10, 1], 41);
    const layer = tf.layers.randomWidth({ factor: [0.4, 0.6], seed: 1 });
    expect(values(layer.apply(x) as tf.Tensor)).toEqual(values(x));
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    expect(y.shape[2]).toBeGreaterThanOrEqual(14);
    expect(y.shape[2]).toBeLessThanOrEqual(16);
    expect(() => tf.layers.randomWidth({ factor: -1 })).toThrow(/positive number/);
  });
});
