/**
 * Functional-API behaviour against real tfjs-layers: recurrent initial states and returned states,
 * null batch dimensions, nested models that save and load, getLayer(...).output, frozen layers and
 * sub-models, masks, stateful recurrences, weights and stopTraining.
 */
import { beforeAll, describe, expect, test } from "vitest";
import * as tf from "../../src/tf.js";
import { tfc, tfl, oracleReady } from "./tfjs-oracle.js";
import { values, expectClose, randomTensor, expectSameOutputs, savedArtifacts } from "./helpers.js";

beforeAll(oracleReady);

type Any = ReturnType<typeof JSON.parse>;

const toTheirs = (t: tf.Tensor) => tfc.tensor(values(t), t.shape);

/** Gives our model random weights and TF.js's model the same ones. */
function shareWeights(ours: tf.LayersModel, theirs: Any, seed: number) {
  ours.setWeights(ours.getWeights().map((w, i) => randomTensor(w.shape, seed + i, -0.6, 0.6)));
  theirs.setWeights(ours.getWeights().map(toTheirs));
}

/** An encoder–decoder over `impl`: encoder LSTM states feed the decoder (`apply([x, h, c])` and `initialState`). */
function seq2seq(impl: { input: Any; layers: Any; model: Any }) {
  const encIn = impl.input({ shape: [5, 3], name: "enc_in" });
  const decIn = impl.input({ shape: [4, 2], name: "dec_in" });
  const [, h, c] = impl.layers.lstm({ units: 4, returnState: true, name: "encoder" }).apply(encIn);
  const decSeq = impl.layers
    .lstm({ units: 4, returnSequences: true, name: "decoder" })
    .apply(decIn, { initialState: [h, c] });
  const [gruOut, gruState] = impl.layers
    .gru({ units: 4, returnSequences: true, returnState: true, name: "gru" })
    .apply([decSeq, h]);
  const out = impl.layers.timeDistributed({ layer: impl.layers.dense({ units: 2 }), name: "td" }).apply(gruOut);
  return impl.model({ inputs: [encIn, decIn], outputs: [out, gruState] });
}

const DEEPTS = { input: tf.input, layers: tf.layers, model: tf.model };
const TFJS = { input: tfl.input, layers: tfl.layers, model: tfl.model };

describe("recurrent states in the functional API", () => {
  test("initial states (apply([x, h, c]) and initialState) and returned states match TF.js, and save/load both ways", async () => {
    const ours = seq2seq(DEEPTS) as tf.LayersModel;
    const theirs = seq2seq(TFJS);
    expect(ours.outputs.map((o) => o.shape)).toEqual([
      [null, 4, 2],
      [null, 4],
    ]);
    const decoder = ours.getLayer("decoder");
    expect(decoder.inboundNodes[0].inboundLayers.map((l) => l.name)).toEqual(["dec_in", "encoder", "encoder"]);
    shareWeights(ours, theirs, 30);
    const xs = [randomTensor([3, 5, 3], 31), randomTensor([3, 4, 2], 32)];
    expectSameOutputs(ours.predict(xs) as tf.Tensor[], theirs.predict(xs.map(toTheirs)));

    const ourArtifacts = await savedArtifacts(ours, tf.io);
    const inTfjs = await tfl.loadLayersModel(tfc.io.fromMemory(ourArtifacts));
    expectSameOutputs(ours.predict(xs) as tf.Tensor[], inTfjs.predict(xs.map(toTheirs)));
    const fromTfjs = await tf.loadLayersModel(tf.io.fromMemory(await savedArtifacts(theirs, tfc.io)));
    expectSameOutputs(fromTfjs.predict(xs) as tf.Tensor[], theirs.predict(xs.map(toTheirs)));
    const again = await tf.loadLayersModel(tf.io.fromMemory(ourArtifacts));
    expectSameOutputs(again.predict(xs) as tf.Tensor[], ours.predict(xs), 1e-6);
  });

  test("concrete initial states: lstm.apply([x, h, c]) and { initialState } agree with TF.js", () => {
    const ours = tf.layers.lstm({ units: 3, returnState: true, returnSequences: true });
    const theirs = tfl.layers.lstm({ units: 3, returnState: true, returnSequences: true });
    const [x, h, c] = [randomTensor([2, 4, 2], 33), randomTensor([2, 3], 34), randomTensor([2, 3], 35)];
    ours.apply(x);
    theirs.apply(toTheirs(x));
    theirs.setWeights(ours.getWeights().map(toTheirs));
    const viaList = ours.apply([x, h, c]) as tf.Tensor[];
    const viaKwargs = ours.apply(x, { initialState: [h, c] }) as tf.Tensor[];
    const expected = theirs.apply(toTheirs(x), { initialState: [toTheirs(h), toTheirs(c)] });
    expectSameOutputs(viaList, expected);
    expectSameOutputs(viaKwargs, expected);
    expect(() => ours.apply([x, h])).toThrow(/2 state\(s\) but got 1/);
  });
});

describe("null batch dimensions", () => {
  test("symbolic shapes keep null batches, variable-length sequences run at any length", () => {
    const x = tf.input({ batchShape: [null, null, 3] });
    const seq = tf.layers.gru({ units: 2, returnSequences: true }).apply(x) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling1d().apply(seq) as tf.SymbolicTensor;
    expect(seq.shape).toEqual([null, null, 2]);
    expect(pooled.shape).toEqual([null, 2]);
    const m = tf.model({ inputs: x, outputs: pooled });
    expect((m.predict(randomTensor([2, 7, 3], 36)) as tf.Tensor).shape).toEqual([2, 2]);
    expect((m.predict(randomTensor([5, 2, 3], 37)) as tf.Tensor).shape).toEqual([5, 2]);
    const d = tf.input({ shape: [6] });
    expect((tf.layers.dense({ units: 4 }).apply(d) as tf.SymbolicTensor).shape).toEqual([null, 4]);
  });
});

describe("nested models", () => {
  function nested(impl: { input: Any; layers: Any; model: Any; sequential: Any }) {
    const block = impl.sequential({
      layers: [impl.layers.dense({ units: 5, activation: "relu", inputShape: [4] }), impl.layers.dense({ units: 3 })],
      name: "block",
    });
    const inner = (() => {
      const i = impl.input({ shape: [3] });
      return impl.model({
        inputs: i,
        outputs: impl.layers.dense({ units: 2, activation: "tanh" }).apply(i),
        name: "head",
      });
    })();
    const x = impl.input({ shape: [4] });
    const a = block.apply(x);
    const b = impl.layers.dense({ units: 3 }).apply(x);
    const merged = impl.layers.add().apply([a, b]);
    return impl.model({ inputs: x, outputs: inner.apply(merged) });
  }

  test("a Sequential and a functional model used as layers predict, save and load like TF.js's", async () => {
    const ours = nested({ ...DEEPTS, sequential: tf.sequential }) as tf.LayersModel;
    const theirs = nested({ ...TFJS, sequential: tfl.sequential });
    expect(ours.layers.map((l) => l.getClassName())).toEqual(theirs.layers.map((l: Any) => l.getClassName()));
    expect(ours.weights.length).toBe(theirs.weights.length);
    shareWeights(ours, theirs, 40);
    const x = randomTensor([3, 4], 41);
    expectSameOutputs(ours.predict(x) as tf.Tensor, theirs.predict(toTheirs(x)));

    const ourArtifacts = await savedArtifacts(ours, tf.io);
    // Calls of nested models are counted from 1 in the file, as TF.js does.
    expect(JSON.stringify(ourArtifacts.modelTopology)).toContain('["block",1,0,{}]');
    const inTfjs = await tfl.loadLayersModel(tfc.io.fromMemory(ourArtifacts));
    expectSameOutputs(ours.predict(x) as tf.Tensor, inTfjs.predict(toTheirs(x)));
    const fromTfjs = await tf.loadLayersModel(tf.io.fromMemory(await savedArtifacts(theirs, tfc.io)));
    expectSameOutputs(fromTfjs.predict(x) as tf.Tensor, theirs.predict(toTheirs(x)));
    expect(fromTfjs.getLayer("block").getClassName()).toBe("Sequential");
  });

  test("a Sequential without an input shape builds when applied to a symbolic tensor", async () => {
    const block = tf.sequential({ layers: [tf.layers.dense({ units: 3 }), tf.layers.dense({ units: 1 })] });
    const x = tf.input({ shape: [2] });
    const m = tf.model({ inputs: x, outputs: block.apply(x) as tf.SymbolicTensor });
    expect(m.outputs[0].shape).toEqual([null, 1]);
    expect(block.weights.map((w) => w.shape)).toEqual([[2, 3], [3], [3, 1], [1]]);
    const again = await tf.loadLayersModel(tf.io.fromMemory(await savedArtifacts(m, tf.io)));
    const input = randomTensor([2, 2], 42);
    expectSameOutputs(again.predict(input) as tf.Tensor, m.predict(input));
  });
});

describe("layers, weights and outputs", () => {
  test("getLayer(name).output builds a feature extractor; inputs, outputs, layers and weights are TF.js's", () => {
    const build = (impl: Any) => {
      const x = impl.input({ shape: [6] });
      const h = impl.layers.dense({ units: 4, activation: "relu", name: "hidden" }).apply(x);
      const y = impl.layers.dense({ units: 2, activation: "softmax", name: "out" }).apply(h);
      const full = impl.model({ inputs: x, outputs: y });
      const features = impl.model({ inputs: full.inputs, outputs: full.getLayer("hidden").output });
      return { full, features };
    };
    const ours = build(DEEPTS);
    const theirs = build(TFJS);
    shareWeights(ours.full, theirs.full, 50);
    const x = randomTensor([3, 6], 51);
    expectSameOutputs(ours.features.predict(x), theirs.features.predict(toTheirs(x)));
    expect(ours.full.layers.map((l: Any) => l.getClassName())).toEqual(["InputLayer", "Dense", "Dense"]);
    expect(ours.full.weights.map((w: Any) => w.shape)).toEqual(theirs.full.weights.map((w: Any) => w.shape));
    expect(ours.full.inputs[0].shape).toEqual(theirs.full.inputs[0].shape);
    expect(ours.full.outputs[0].shape).toEqual(theirs.full.outputs[0].shape);
    expect(ours.full.getLayer(undefined, 1).name).toBe("hidden");
    expect(ours.full.getLayer(2).name).toBe("out");
    expect(() => ours.full.getLayer("nope")).toThrow(/No layer named 'nope'.*layers: /);
    const copy = ours.full.getWeights();
    ours.full.setWeights(copy.map((w: tf.Tensor) => tf.mul(w, 0)));
    expect(values(ours.full.getWeights()[0]).every((v) => v === 0)).toBe(true);
    ours.full.setWeights(copy);
    expectSameOutputs(ours.features.predict(x), theirs.features.predict(toTheirs(x)));
  });

  test("trainable = false on a sub-model and on a layer: fixed in fit, counted as non-trainable", async () => {
    const build = (impl: Any, sequential: Any) => {
      const base = sequential({ layers: [impl.layers.dense({ units: 4, inputShape: [3] })], name: "base" });
      base.trainable = false;
      const x = impl.input({ shape: [3] });
      const frozen = impl.layers.dense({ units: 4, name: "frozen" });
      frozen.trainable = false;
      const h = frozen.apply(base.apply(x));
      const y = impl.layers.dense({ units: 1, name: "top" }).apply(h);
      return impl.model({ inputs: x, outputs: y });
    };
    const ours = build(DEEPTS, tf.sequential) as tf.LayersModel;
    const theirs = build(TFJS, tfl.sequential);
    expect(ours.trainableWeights.length).toBe(theirs.trainableWeights.length);
    expect(ours.nonTrainableWeights.length).toBe(theirs.nonTrainableWeights.length);
    shareWeights(ours, theirs, 60);
    const lines: string[] = [];
    ours.summary(undefined, undefined, (l) => lines.push(l));
    expect(lines.join("\n")).toMatch(/Trainable params: 5\b/);
    expect(lines.join("\n")).toMatch(/Non-trainable params: 36\b/);
    const before = ours.getLayer("base").getWeights().concat(ours.getLayer("frozen").getWeights()).map(values);
    const x = randomTensor([6, 3], 61);
    const y = randomTensor([6, 1], 62);
    ours.compile({ optimizer: tf.train.sgd(0.1), loss: "meanSquaredError" });
    theirs.compile({ optimizer: tfc.train.sgd(0.1), loss: "meanSquaredError" });
    await ours.fit(x, y, { epochs: 3, batchSize: 6, verbose: 0 });
    await theirs.fit(toTheirs(x), toTheirs(y), { epochs: 3, batchSize: 6, verbose: 0 });
    const after = ours.getLayer("base").getWeights().concat(ours.getLayer("frozen").getWeights()).map(values);
    expect(after).toEqual(before);
    expectSameOutputs(ours.predict(x) as tf.Tensor, theirs.predict(toTheirs(x)), 1e-4);
    // Unfreezing restores training (and keeps batch-norm statistics non-trainable).
    ours.getLayer("base").trainable = true;
    expect(ours.trainableWeights.length).toBe(4);
    const bn = tf.layers.batchNormalization();
    bn.apply(tf.ones([2, 3]));
    bn.trainable = false;
    bn.trainable = true;
    expect(bn.trainableWeights.map((w) => w.originalName.split("/")[1])).toEqual(["gamma", "beta"]);
  });

  test("a callback setting model.stopTraining ends fit after the current batch", async () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: "sgd", loss: "meanSquaredError" });
    let batches = 0;
    const h = await m.fit(randomTensor([32, 2], 63), randomTensor([32, 1], 64), {
      epochs: 5,
      batchSize: 4,
      verbose: 0,
      callbacks: {
        onBatchEnd: async () => {
          batches++;
          if (batches === 3) m.stopTraining = true;
        },
      },
    });
    expect(batches).toBe(3);
    expect(h.history.loss.length).toBe(1);
  });

  test("weight constraints hold after every optimizer step", async () => {
    const m = tf.sequential({
      layers: [
        tf.layers.dense({ units: 3, inputShape: [4], kernelConstraint: tf.constraints.maxNorm({ maxValue: 0.5 }) }),
      ],
    });
    m.compile({ optimizer: tf.train.sgd(1), loss: "meanSquaredError" });
    await m.fit(randomTensor([8, 4], 65), tf.mul(randomTensor([8, 3], 66), 10), { epochs: 3, verbose: 0 });
    const kernel = m.layers[0].getWeights()[0];
    const norms = values(tf.sqrt(tf.sum(tf.square(kernel), 0)));
    expect(Math.max(...norms)).toBeLessThanOrEqual(0.5 + 1e-5);
  });
});

describe("masks", () => {
  test("embedding({ maskZero }) → lstm skips padding like TF.js, and equals the unpadded sequence", () => {
    const build = (impl: Any) => {
      const x = impl.input({ shape: [null] });
      const e = impl.layers.embedding({ inputDim: 8, outputDim: 3, maskZero: true }).apply(x);
      const y = impl.layers.lstm({ units: 4 }).apply(e);
      return impl.model({ inputs: x, outputs: y });
    };
    const ours = build(DEEPTS) as tf.LayersModel;
    const theirs = build(TFJS);
    shareWeights(ours, theirs, 70);
    const padded = tf.tensor2d(
      [
        [3, 5, 1, 0, 0, 0],
        [2, 7, 7, 4, 6, 1],
      ],
      [2, 6],
    );
    const out = ours.predict(padded) as tf.Tensor;
    expectSameOutputs(out, theirs.predict(toTheirs(padded)));
    const short = ours.predict(tf.tensor2d([[3, 5, 1]], [1, 3])) as tf.Tensor;
    expectClose(values(out).slice(0, 4), values(short), 1e-5);
  });

  test("masking → bidirectional(gru, sequences) → dense passes the mask on, as in TF.js", () => {
    const build = (impl: Any) => {
      const x = impl.input({ shape: [5, 2] });
      const m = impl.layers.masking({ maskValue: 0 }).apply(x);
      const s = impl.layers.bidirectional({ layer: impl.layers.gru({ units: 2, returnSequences: true }) }).apply(m);
      const y = impl.layers.lstm({ units: 2 }).apply(impl.layers.dense({ units: 3 }).apply(s));
      return impl.model({ inputs: x, outputs: y });
    };
    const ours = build(DEEPTS) as tf.LayersModel;
    const theirs = build(TFJS);
    shareWeights(ours, theirs, 80);
    const data = Float32Array.from(values(randomTensor([3, 5, 2], 81)));
    data.fill(0, 6, 10); // example 0: steps 3 and 4 are padding
    data.fill(0, 10, 12); // example 1: step 0 is padding
    const x = tf.tensor(data, [3, 5, 2]);
    expectSameOutputs(ours.predict(x) as tf.Tensor, theirs.predict(toTheirs(x)));
  });
});

describe("stateful recurrences", () => {
  test("states carry from batch to batch and resetStates clears them, as in TF.js", () => {
    const build = (impl: Any, sequential: Any) =>
      sequential({
        layers: [
          impl.layers.simpleRNN({ units: 3, stateful: true, batchInputShape: [2, 4, 2] }),
          impl.layers.dense({ units: 1 }),
        ],
      });
    const ours = build(DEEPTS, tf.sequential) as tf.LayersModel;
    const theirs = build(TFJS, tfl.sequential);
    shareWeights(ours, theirs, 90);
    const x = randomTensor([2, 4, 2], 91);
    const first = ours.predict(x) as tf.Tensor;
    const second = ours.predict(x) as tf.Tensor;
    expectSameOutputs(first, theirs.predict(toTheirs(x)));
    expectSameOutputs(second, theirs.predict(toTheirs(x)));
    expect(values(first)).not.toEqual(values(second));
    ours.resetStates();
    theirs.resetStates();
    expectSameOutputs(ours.predict(x) as tf.Tensor, theirs.predict(toTheirs(x)));
    expectSameOutputs(ours.predict(x) as tf.Tensor, second, 1e-6);
    expect(() => tf.layers.lstm({ units: 2 }).resetStates()).toThrow(/not stateful/);
  });
});
