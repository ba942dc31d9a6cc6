import { describe, expect, test, afterEach } from "vitest";
import * as tf from "../../src/runtime/index.js";
import {
  layers,
  sequential,
  model,
  input,
  Model,
  train,
  callbacks,
  registerDefaultFitCallback,
  losses,
  type SymbolicTensor,
  type Logs,
} from "../../src/models/index.js";
import { datasets } from "../../src/models/index.js";
import { values, expectClose } from "./helpers.js";
import { formatSummary } from "../../src/models/summary.js";

afterEach(() => tf.setInterruptCheck(undefined));

function mlp() {
  tf.setSeed(1);
  const m = sequential();
  m.add(layers.dense({ units: 8, activation: "relu", inputShape: [2] }));
  m.add(layers.dense({ units: 2, activation: "softmax" }));
  return m;
}

describe("sequential", () => {
  test("layers, shapes, parameter counts, inbound links and names", () => {
    const m = sequential({
      layers: [
        layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: "relu" }),
        layers.flatten(),
        layers.dense({ units: 10, activation: "softmax" }),
      ],
    });
    expect(m.layers.map((l) => l.getClassName())).toEqual(["Conv2D", "Flatten", "Dense"]);
    expect(m.layers.map((l) => l.outputShape)).toEqual([
      [null, 26, 26, 32],
      [null, 21632],
      [null, 10],
    ]);
    expect(m.layers.map((l) => l.countParams())).toEqual([320, 0, 216330]);
    expect(m.countParams()).toBe(216650);
    expect(m.layers[1].inboundNodes[0].inboundLayers[0]).toBe(m.layers[0]);
    expect(m.layers[0].inboundNodes[0].inboundLayers[0].getClassName()).toBe("InputLayer");
    expect(new Set(m.layers.map((l) => l.name)).size).toBe(3);
  });

  test("summary prints a table with shapes and totals", () => {
    const m = mlp();
    const lines: string[] = [];
    m.summary(undefined, undefined, (l) => lines.push(l));
    const text = lines.join("\n");
    expect(text).toMatch(/Layer \(type\)\s+Output shape\s+Param #/);
    expect(text).toContain(`${m.layers[0].name} (Dense)`);
    expect(text).toContain("[null,8]");
    expect(text).toMatch(/Total params: 42\b/);
    expect(text).toMatch(/Trainable params: 42\b/);
    expect(text).toMatch(/Non-trainable params: 0\b/);
  });

  test("without inputShape the model is built on first use", () => {
    const m = sequential({ layers: [layers.dense({ units: 3 }), layers.dense({ units: 1 })] });
    expect(() => m.countParams()).not.toThrow();
    const y = m.predict(tf.ones([4, 5])) as tf.Tensor;
    expect(y.shape).toEqual([4, 1]);
    expect(m.countParams()).toBe(5 * 3 + 3 + 3 + 1);
  });

  test("an inputLayer may come first; pop removes the last layer", () => {
    const m = sequential({
      layers: [layers.inputLayer({ inputShape: [3] }), layers.dense({ units: 4 }), layers.dense({ units: 2 })],
    });
    expect(m.layers.length).toBe(2);
    expect((m.predict(tf.ones([1, 3])) as tf.Tensor).shape).toEqual([1, 2]);
    m.pop();
    expect(m.layers.length).toBe(1);
    expect((m.predict(tf.ones([1, 3])) as tf.Tensor).shape).toEqual([1, 4]);
    expect(m.countParams()).toBe(16);
  });

  test("bad input shapes and uncompiled training explain themselves", async () => {
    const m = mlp();
    expect(() => m.predict(tf.ones([3, 5]))).toThrow(/input 0 should have shape \[null,2\], got \[3,5\]/);
    await expect(m.fit(tf.ones([3, 2]), tf.ones([3, 2]))).rejects.toThrow(/must be compiled/);
    m.compile({ optimizer: "sgd", loss: "meanSquaredError" });
    await expect(m.fit(tf.ones([3, 2]), tf.ones([4, 2]), { verbose: 0 })).rejects.toThrow(/same number of examples/);
    expect(() => m.compile({ optimizer: "sgd", loss: "wobble" })).toThrow(/Unknown loss 'wobble'/);
  });

  test("predict batches give the same result as one batch", () => {
    const m = mlp();
    const x = datasets.twoMoons({ n: 50, seed: 2 }).xs;
    expectClose(
      values(m.predict(x, { batchSize: 7 }) as tf.Tensor),
      values(m.predict(x, { batchSize: 64 }) as tf.Tensor),
      1e-6,
    );
  });

  test("getWeights/setWeights round-trip and validate shapes", () => {
    const a = mlp();
    const b = mlp();
    b.setWeights(a.getWeights().map((w) => tf.add(w, 1)));
    const x = tf.tensor([[0.3, -0.2]]);
    expect(values(a.predict(x) as tf.Tensor)).not.toEqual(values(b.predict(x) as tf.Tensor));
    b.setWeights(a.getWeights());
    expect(values(a.predict(x) as tf.Tensor)).toEqual(values(b.predict(x) as tf.Tensor));
    expect(() => b.setWeights([tf.ones([3])])).toThrow(/setWeights got 1 tensors for 4 weights/);
  });
});

describe("fit", () => {
  test("logistic regression reaches 100% on separable data; History has loss, acc, val_*", async () => {
    tf.setSeed(3);
    const { xs, ys } = datasets.blobs({
      n: 200,
      centers: [
        [-2, -2],
        [2, 2],
      ],
      std: 0.5,
      seed: 4,
    });
    const m = sequential({ layers: [layers.dense({ units: 1, activation: "sigmoid", inputShape: [2] })] });
    m.compile({ optimizer: train.adam(0.1), loss: "binary_crossentropy", metrics: ["accuracy"] });
    const h = await m.fit(xs, ys, { epochs: 20, batchSize: 32, validationSplit: 0.2, verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(["acc", "loss", "val_acc", "val_loss"]);
    expect(h.history.loss.length).toBe(20);
    expect(h.epoch).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(h.history.loss[19]).toBeLessThan(h.history.loss[0]);
    expect(h.history.acc[19]).toBe(1);
    const [loss, acc] = m.evaluate(xs, ys) as tf.Tensor[];
    expect(acc.dataSync()[0]).toBe(1);
    expect(loss.dataSync()[0]).toBeLessThan(0.2);
    expect((h as unknown as { params: { samples: number; epochs: number } }).params).toMatchObject({
      samples: 160,
      epochs: 20,
    });
  });

  test("callbacks fire in order with logs; initialEpoch and validationData work", async () => {
    const m = mlp();
    m.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy", metrics: ["acc"] });
    const { xs, ys } = datasets.twoMoons({ n: 40, seed: 5 });
    const events: string[] = [];
    const batchLogs: Logs[] = [];
    await m.fit(xs, ys, {
      epochs: 3,
      initialEpoch: 1,
      batchSize: 16,
      validationData: [xs, ys],
      verbose: 0,
      callbacks: {
        onTrainBegin: () => void events.push("trainBegin"),
        onEpochBegin: (e) => void events.push(`epochBegin${e}`),
        onBatchEnd: (_b, logs) => void batchLogs.push(logs!),
        onEpochEnd: async (e, logs) => {
          await new Promise((r) => setTimeout(r, 1));
          events.push(`epochEnd${e}:${Object.keys(logs!).sort().join(",")}`);
        },
        onTrainEnd: () => void events.push("trainEnd"),
      },
    });
    expect(events).toEqual([
      "trainBegin",
      "epochBegin1",
      "epochEnd1:acc,loss,val_acc,val_loss",
      "epochBegin2",
      "epochEnd2:acc,loss,val_acc,val_loss",
      "trainEnd",
    ]);
    expect(batchLogs.length).toBe(6);
    expect(batchLogs[0]).toMatchObject({ batch: 0, size: 16 });
    expect(batchLogs[2]).toMatchObject({ batch: 2, size: 8 });
    expect(typeof batchLogs[0].loss).toBe("number");
  });

  test("earlyStopping stops once `patience` epochs in a row did not improve (as TF.js and Keras)", async () => {
    const m = mlp();
    m.compile({ optimizer: train.sgd(0), loss: "sparseCategoricalCrossentropy" }); // rate 0: loss never improves
    const { xs, ys } = datasets.twoMoons({ n: 20, seed: 6 });
    const h = await m.fit(xs, ys, {
      epochs: 50,
      verbose: 0,
      callbacks: [callbacks.earlyStopping({ monitor: "loss", patience: 2 })],
    });
    // Epoch 0 sets the best; epochs 1 and 2 do not improve, and patience 2 is used up (TF.js, Keras).
    expect(h.history.loss.length).toBe(3);
  });

  test("learning rate: settable, scheduled per step, and by epoch callback", async () => {
    const opt = train.sgd(train.exponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 }));
    const w = tf.variable(tf.scalar(0));
    const rates: number[] = [];
    for (let i = 0; i < 3; i++) {
      opt.minimize(() => tf.mul(w, 1), false, [w]);
      rates.push(opt.learningRate);
    }
    expect(rates).toEqual([1, 0.5, 0.25]);
    expect(values(w)[0]).toBeCloseTo(-1.75, 6);
    opt.learningRate = 0.1;
    opt.setLearningRate(0.2);
    opt.minimize(() => tf.mul(w, 1), false, [w]);
    expect(values(w)[0]).toBeCloseTo(-1.95, 6);

    const m = mlp();
    const adam = train.adam(0.01);
    m.compile({ optimizer: adam, loss: "sparseCategoricalCrossentropy" });
    const seen: number[] = [];
    const { xs, ys } = datasets.twoMoons({ n: 8, seed: 7 });
    await m.fit(xs, ys, {
      epochs: 3,
      verbose: 0,
      callbacks: [
        callbacks.learningRateScheduler((epoch) => 0.1 / (epoch + 1)),
        { onEpochEnd: () => void seen.push(adam.learningRate) },
      ],
    });
    expectClose(seen, [0.1, 0.05, 0.1 / 3], 1e-9);
  });

  test("classWeight scales each example's loss by its class weight", async () => {
    const x = tf.tensor([
      [1, 0],
      [0, 1],
    ]);
    const y = tf.tensor([0, 1]);
    const lossWith = async (classWeight?: Record<number, number>) => {
      const m = mlp();
      m.compile({ optimizer: train.sgd(0), loss: "sparseCategoricalCrossentropy" });
      const h = await m.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0, shuffle: false, classWeight });
      return h.history.loss[0];
    };
    const m = mlp();
    const p = values(m.predict(x) as tf.Tensor);
    const l0 = -Math.log(p[0]);
    const l1 = -Math.log(p[3]);
    expect(await lossWith()).toBeCloseTo((l0 + l1) / 2, 5);
    expect(await lossWith({ 0: 3, 1: 1 })).toBeCloseTo((3 * l0 + l1) / 2, 5);
  });

  test("an interrupt stops fit between batches; the weights stay usable", async () => {
    const m = mlp();
    m.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy" });
    const { xs, ys } = datasets.twoMoons({ n: 64, seed: 8 });
    let batches = 0;
    tf.setInterruptCheck(() => {
      if (batches >= 3) throw new Error("KeyboardInterrupt");
    });
    await expect(
      m.fit(xs, ys, { epochs: 5, batchSize: 8, verbose: 0, callbacks: { onBatchEnd: () => void batches++ } }),
    ).rejects.toThrow("KeyboardInterrupt");
    expect(batches).toBe(3);
    tf.setInterruptCheck(undefined);
    expect(values(m.predict(xs) as tf.Tensor).every(Number.isFinite)).toBe(true);
  });

  test("fit lets the event loop run while training", async () => {
    const m = mlp();
    m.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy" });
    const { xs, ys } = datasets.twoMoons({ n: 256, seed: 9 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await m.fit(xs, ys, {
      epochs: 3,
      batchSize: 4,
      verbose: 0,
      callbacks: {
        onBatchEnd: () => {
          const t = Date.now();
          while (Date.now() - t < 2);
        },
      },
    });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
  });

  test("fit, predict and evaluate leave no tensors behind", async () => {
    tf.setSeed(18);
    const m = sequential({
      layers: [
        layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3 }),
        layers.batchNormalization(),
        layers.flatten(),
        layers.dropout({ rate: 0.2 }),
        layers.dense({ units: 3, activation: "softmax", kernelRegularizer: "l2" }),
      ],
    });
    m.compile({ optimizer: train.adam(0.01), loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
    const xs = tf.randomNormal([50, 6, 6, 1]);
    const ys = tf.tensor(
      Float32Array.from({ length: 50 }, (_, i) => i % 3),
      [50],
    );
    await m.fit(xs, ys, { epochs: 1, batchSize: 8, verbose: 0, validationSplit: 0.2 });
    const before = tf.memory().numTensors;
    await m.fit(xs, ys, { epochs: 3, batchSize: 8, verbose: 0, validationSplit: 0.2 });
    tf.dispose(m.predict(xs));
    tf.dispose(m.evaluate(xs, ys));
    expect(tf.memory().numTensors).toBe(before);
  });

  test("registerDefaultFitCallback adds a callback to verbose fits only", async () => {
    const m = mlp();
    m.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
    const { xs, ys } = datasets.twoMoons({ n: 16, seed: 10 });
    const seen: string[] = [];
    const remove = registerDefaultFitCallback((model, params) => ({
      onEpochEnd: (e: number) => void seen.push(`${model === m}:${params.epochs}:${params.metrics.join(",")}:${e}`),
    }));
    try {
      await m.fit(xs, ys, { epochs: 2, verbose: 1 });
      await m.fit(xs, ys, { epochs: 2, verbose: 0 });
    } finally {
      remove();
    }
    expect(seen).toEqual(["true:2:loss,acc:0", "true:2:loss,acc:1"]);
  });
});

describe("functional models", () => {
  test("two branches joined by concatenate, trained with fit", async () => {
    tf.setSeed(12);
    const inp = input({ shape: [2] });
    const a = layers.dense({ units: 8, activation: "tanh" }).apply(inp) as SymbolicTensor;
    const b = layers.dense({ units: 8, activation: "relu" }).apply(inp) as SymbolicTensor;
    const joined = layers.concatenate().apply([a, b]) as SymbolicTensor;
    const out = layers.dense({ units: 2, activation: "softmax" }).apply(joined) as SymbolicTensor;
    const m = model({ inputs: inp, outputs: out });
    expect(joined.shape).toEqual([null, 16]);
    expect(m.layers.map((l) => l.getClassName())).toEqual(["InputLayer", "Dense", "Dense", "Concatenate", "Dense"]);
    expect(m.layers[3].inboundNodes[0].inboundLayers.map((l) => l.name)).toEqual([m.layers[1].name, m.layers[2].name]);
    const lines: string[] = [];
    m.summary(undefined, undefined, (l) => lines.push(l));
    expect(lines.join("\n")).toContain("Connected to");
    m.compile({ optimizer: train.adam(0.05), loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
    const { xs, ys } = datasets.twoMoons({ n: 200, noise: 0.05, seed: 13 });
    const h = await m.fit(xs, ys, { epochs: 30, batchSize: 32, verbose: 0 });
    expect(h.history.acc[29]).toBeGreaterThan(0.95);
  });

  test("multiple inputs and outputs with one loss each", async () => {
    const x1 = input({ shape: [3] });
    const x2 = input({ shape: [2] });
    const h = layers
      .dense({ units: 4 })
      .apply(layers.concatenate().apply([x1, x2]) as SymbolicTensor) as SymbolicTensor;
    const y1 = layers.dense({ units: 1 }).apply(h) as SymbolicTensor;
    const y2 = layers.dense({ units: 2, activation: "softmax" }).apply(h) as SymbolicTensor;
    const m = model({ inputs: [x1, x2], outputs: [y1, y2] });
    m.compile({ optimizer: "adam", loss: ["meanSquaredError", "sparseCategoricalCrossentropy"] });
    const out = m.predict([tf.ones([5, 3]), tf.ones([5, 2])]) as tf.Tensor[];
    expect(out.map((o) => o.shape)).toEqual([
      [5, 1],
      [5, 2],
    ]);
    // As in TF.js: the total loss, then each output's loss.
    const losses = (await m.trainOnBatch(
      [tf.ones([5, 3]), tf.ones([5, 2])],
      [tf.zeros([5, 1]), tf.zeros([5])],
    )) as number[];
    expect(losses).toHaveLength(3);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[0]).toBeCloseTo(losses[1] + losses[2], 5);
    expect(() => model({ inputs: x1, outputs: y1 })).toThrow(/not among the model inputs/);
  });

  test("a layer applied to a concrete tensor computes at once", () => {
    const d = layers.dense({ units: 2, kernelInitializer: "ones" });
    expect(values(d.apply(tf.tensor([[1, 2]])) as tf.Tensor)).toEqual([3, 3]);
  });
});

describe("subclassed models and custom training loops", () => {
  class MyModel extends Model {
    d1 = layers.dense({ units: 16, activation: "tanh" });
    d2 = layers.dense({ units: 2 });
    override call(x: tf.Tensor | tf.Tensor[]): tf.Tensor {
      return this.d2.apply(this.d1.apply(x) as tf.Tensor) as tf.Tensor;
    }
  }

  test("a tf.Model subclass trains with compile/fit (logits loss)", async () => {
    tf.setSeed(14);
    const m = new MyModel();
    m.compile({
      optimizer: train.adam(0.05),
      loss: (y, p) => losses.sparseCategoricalCrossentropy(y, p, true),
      metrics: ["accuracy"],
    });
    const { xs, ys } = datasets.twoMoons({ n: 200, noise: 0.05, seed: 15 });
    const h = await m.fit(xs, ys, { epochs: 40, batchSize: 32, verbose: 0 });
    expect(h.history.acc[39]).toBeGreaterThan(0.95);
    expect(m.layers).toEqual([m.d1, m.d2]);
    expect(m.trainableWeights.length).toBe(4);
    expect(m.countParams()).toBe(2 * 16 + 16 + 16 * 2 + 2);
  });

  test("gradient-tape style loop: variableGrads + applyGradients, and minimize", () => {
    tf.setSeed(16);
    const m = new MyModel();
    const opt = train.adam(0.05);
    const { xs, ys } = datasets.twoMoons({ n: 100, noise: 0.05, seed: 17 });
    const lossFn = () => losses.sparseCategoricalCrossentropy(ys, m.apply(xs, { training: true }) as tf.Tensor, true);
    m.apply(xs); // builds the weights
    const first = lossFn().dataSync()[0];
    for (let step = 0; step < 60; step++) {
      const { value, grads } = tf.variableGrads(lossFn, m.trainableVariables);
      opt.applyGradients(grads);
      tf.dispose([value, ...Object.values(grads)]);
    }
    const mid = lossFn().dataSync()[0];
    expect(mid).toBeLessThan(first * 0.5);
    for (let step = 0; step < 20; step++) opt.minimize(lossFn, false, m.trainableVariables);
    expect(lossFn().dataSync()[0]).toBeLessThan(mid);
    expect(opt.iterations).toBe(80);
  });

  test("after a call, the summary shows each layer's output shape (batch axis null), not '?'", () => {
    const m = new MyModel();
    expect(() => m.d1.outputShape).toThrow(/not been connected/);
    m.apply(tf.zeros([5, 3]));
    expect(m.d1.inputShape).toEqual([null, 3]);
    expect(m.d1.outputShape).toEqual([null, 16]);
    expect(m.d2.outputShape).toEqual([null, 2]);
    m.apply(tf.zeros([7, 3]));
    expect(m.d2.outputShape).toEqual([null, 2]);
    const lines = formatSummary(m).join("\n");
    expect(lines).toMatch(/dense_\d+ \(Dense\)\s+\[null,16\]\s+64/);
    expect(lines).toMatch(/dense_\d+ \(Dense\)\s+\[null,2\]\s+34/);
  });
});
