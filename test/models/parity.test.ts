/**
 * Training parity with TF.js: the same architecture with the same initial weights, trained on the
 * same batches, gives the same loss after each step (1e-4 relative) and the same final weights, on
 * every backend; the optimizers' update rules are checked on the default backend.
 */
import { describe, expect, test, beforeAll } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { layers, sequential, train, type Sequential, type Optimizer } from "../../src/models/index.js";
import { tfc, tfl, oracleReady } from "./tfjs-oracle.js";
import { values, expectClose, randomTensor } from "./helpers.js";
import { forEachBackend } from "../runtime/backends.js";
import { Random } from "../../src/models/random.js";

beforeAll(oracleReady);

type Spec = { kind: "dense" | "conv"; loss: string };

function buildOurs(spec: Spec): Sequential {
  const m = sequential();
  if (spec.kind === "dense") {
    m.add(layers.dense({ units: 16, activation: "relu", inputShape: [12] }));
    m.add(layers.dense({ units: 8, activation: "tanh" }));
    m.add(layers.dense({ units: 5, activation: "softmax" }));
  } else {
    m.add(layers.conv2d({ filters: 4, kernelSize: 3, activation: "relu", inputShape: [8, 8, 1] }));
    m.add(layers.maxPooling2d({ poolSize: 2 }));
    m.add(layers.flatten());
    m.add(layers.dense({ units: 5, activation: "softmax" }));
  }
  return m;
}

function buildTheirs(spec: Spec) {
  const m = tfl.sequential();
  if (spec.kind === "dense") {
    m.add(tfl.layers.dense({ units: 16, activation: "relu", inputShape: [12] }));
    m.add(tfl.layers.dense({ units: 8, activation: "tanh" }));
    m.add(tfl.layers.dense({ units: 5, activation: "softmax" }));
  } else {
    m.add(tfl.layers.conv2d({ filters: 4, kernelSize: 3, activation: "relu", inputShape: [8, 8, 1] }));
    m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    m.add(tfl.layers.flatten());
    m.add(tfl.layers.dense({ units: 5, activation: "softmax" }));
  }
  return m;
}

function batches(spec: Spec, steps: number, batchSize: number) {
  const r = new Random(123);
  const shape = spec.kind === "dense" ? [batchSize, 12] : [batchSize, 8, 8, 1];
  return Array.from({ length: steps }, (_, i) => {
    const x = randomTensor(shape, 1000 + i);
    const labels = Int32Array.from({ length: batchSize }, () => r.int(5));
    const y =
      spec.loss === "sparseCategoricalCrossentropy"
        ? tf.tensor(labels, [batchSize], "float32")
        : tf.oneHot(tf.tensor(labels, [batchSize], "int32"), 5);
    return { x, y };
  });
}

async function runParity(spec: Spec, ours: () => Optimizer, theirs: () => unknown, steps = 10) {
  tf.setSeed(5);
  const a = buildOurs(spec);
  const b = buildTheirs(spec);
  b.setWeights(a.getWeights().map((w) => tfc.tensor(values(w), w.shape)));
  a.compile({ optimizer: ours(), loss: spec.loss });
  b.compile({ optimizer: theirs(), loss: spec.loss });
  const ourLosses: number[] = [];
  const theirLosses: number[] = [];
  for (const { x, y } of batches(spec, steps, 8)) {
    ourLosses.push((await a.trainOnBatch(x, y)) as number);
    theirLosses.push((await b.trainOnBatch(tfc.tensor(values(x), x.shape), tfc.tensor(values(y), y.shape))) as number);
  }
  expectClose(ourLosses, theirLosses, 1e-4);
  expect(ourLosses[steps - 1]).not.toBe(ourLosses[0]);
  const wa = a.getWeights();
  const wb = b.getWeights();
  wa.forEach((w, i) => expectClose(values(w), Array.from(wb[i].dataSync() as Float32Array), 1e-4));
  return ourLosses;
}

// The whole training path (layers, losses, fused kernels, optimizers) on every backend.
forEachBackend(() => {
  describe("same losses as TF.js for 10 steps", () => {
    test("dense MLP, SGD, sparse categorical cross-entropy", async () => {
      await runParity(
        { kind: "dense", loss: "sparseCategoricalCrossentropy" },
        () => train.sgd(0.1),
        () => tfc.train.sgd(0.1),
      );
    });
    test("dense MLP, Adam, categorical cross-entropy", async () => {
      await runParity(
        { kind: "dense", loss: "categoricalCrossentropy" },
        () => train.adam(0.01),
        () => tfc.train.adam(0.01),
      );
    });
    test("conv net, SGD", async () => {
      await runParity(
        { kind: "conv", loss: "categoricalCrossentropy" },
        () => train.sgd(0.1),
        () => tfc.train.sgd(0.1),
      );
    });
    test("conv net, Adam", async () => {
      await runParity(
        { kind: "conv", loss: "sparseCategoricalCrossentropy" },
        () => train.adam(0.01),
        () => tfc.train.adam(0.01),
      );
    });
  });
});

describe("every optimizer follows TF.js's update rule", () => {
  const spec: Spec = { kind: "dense", loss: "categoricalCrossentropy" };
  const cases: [string, () => Optimizer, () => unknown][] = [
    ["momentum", () => train.momentum(0.05, 0.9), () => tfc.train.momentum(0.05, 0.9)],
    ["momentum (Nesterov)", () => train.momentum(0.05, 0.9, true), () => tfc.train.momentum(0.05, 0.9, true)],
    ["adagrad", () => train.adagrad(0.1), () => tfc.train.adagrad(0.1)],
    ["adadelta", () => train.adadelta(1, 0.95), () => tfc.train.adadelta(1, 0.95, 1e-7)],
    ["rmsprop", () => train.rmsprop(0.01), () => tfc.train.rmsprop(0.01, 0.9, 0, 1e-7)],
    ["rmsprop (momentum)", () => train.rmsprop(0.01, 0.9, 0.5), () => tfc.train.rmsprop(0.01, 0.9, 0.5, 1e-7)],
    ["adamax", () => train.adamax(0.02), () => tfc.train.adamax(0.02, 0.9, 0.999, 1e-7)],
  ];
  for (const [name, ours, theirs] of cases) {
    test(name, async () => {
      await runParity(spec, ours, theirs);
    });
  }
});

test("centered rmsprop takes the root of ms − mg² + ε (TF.js's form goes NaN on this problem)", async () => {
  tf.setSeed(5);
  const m = buildOurs({ kind: "dense", loss: "categoricalCrossentropy" });
  m.compile({ optimizer: train.rmsprop(0.01, 0.9, 0.5, 1e-7, true), loss: "categoricalCrossentropy" });
  const losses: number[] = [];
  for (const { x, y } of batches({ kind: "dense", loss: "categoricalCrossentropy" }, 10, 8))
    losses.push((await m.trainOnBatch(x, y)) as number);
  expect(losses.every(Number.isFinite)).toBe(true);
  // Hand-computed first update of one weight: ms = 0.1·g², mg = 0.1·g, step = lr·g / sqrt(ms − mg² + ε).
  const w = tf.variable(tf.tensor([1]));
  const opt = train.rmsprop(0.01, 0.9, 0, 1e-7, true);
  opt.minimize(() => tf.sum(tf.mul(w, 3)), false, [w]);
  const g = 3;
  expect(values(w)[0]).toBeCloseTo(1 - (0.01 * g) / Math.sqrt(0.1 * g * g - 0.01 * g * g + 1e-7), 5);
});

describe("compile by name uses TF.js's defaults", () => {
  for (const name of ["sgd", "adam", "rmsprop", "adagrad", "adadelta", "adamax"]) {
    test(name, async () => {
      await runParity(
        { kind: "dense", loss: "categoricalCrossentropy" },
        () => name as unknown as Optimizer,
        () => name,
        5,
      );
    });
  }
});
