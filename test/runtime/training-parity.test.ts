/**
 * Training parity: one small conv net (conv, max pool, conv, average pool, dense, softmax; Adam,
 * categorical cross-entropy) trained on fixed random data on each backend follows the cpu backend's
 * loss curve, learns, leaks no tensors, and runs every kernel on that backend (no cpu fallback).
 */
import { expect, it } from "vitest";
import { layers, sequential } from "../../src/models/index.js";
import * as tf from "../../src/runtime/index.js";
import { forEachBackend } from "./backends.js";

interface TrainingRun {
  /** Loss per epoch of the first `fit` (4 epochs). */
  losses: number[];
  /** Tensors a further epoch left behind. */
  leaked: number;
  /** Kernels that fell back to the cpu backend during the run. */
  fallbacks: number;
}

/** Trains the net on the current backend from seed 7. */
async function trainSmallConvNet(): Promise<TrainingRun> {
  const fallbacks = tf.engine().fallbacks;
  tf.setSeed(7);
  const x = tf.randomNormal([24, 8, 8, 2]);
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: 24 }, (_, k) => k % 3),
      "int32",
    ),
    3,
  );
  const m = sequential();
  m.add(layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, padding: "same", activation: "relu" }));
  m.add(layers.maxPooling2d({ poolSize: 2 }));
  m.add(layers.conv2d({ filters: 5, kernelSize: 2, activation: "tanh" }));
  m.add(layers.averagePooling2d({ poolSize: 2, strides: 1 }));
  m.add(layers.flatten());
  m.add(layers.dense({ units: 3, activation: "softmax" }));
  m.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
  const history = await m.fit(x, labels, { epochs: 4, batchSize: 8, shuffle: false, verbose: 0 });
  const before = tf.memory().numTensors;
  await m.fit(x, labels, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
  const leaked = tf.memory().numTensors - before;
  tf.dispose([x, labels]);
  return { losses: history.history.loss as number[], leaked, fallbacks: tf.engine().fallbacks - fallbacks };
}

let cpuRun: TrainingRun | undefined;

/** The cpu backend's run (trained once, then kept). */
async function onCpu(): Promise<TrainingRun> {
  if (!cpuRun) {
    const previous = tf.getBackend();
    await tf.setBackend("cpu");
    cpuRun = await trainSmallConvNet();
    await tf.setBackend(previous);
  }
  return cpuRun;
}

forEachBackend(
  ({ name }) => {
    it(`follows the cpu backend's loss curve with every kernel on ${name}`, async () => {
      const cpu = await onCpu();
      const run = await trainSmallConvNet();
      expect(tf.getBackend()).toBe(name);
      expect(run.fallbacks).toBe(0);
      expect(run.losses.length).toBe(4);
      expect(run.losses[3]!).toBeLessThan(run.losses[0]!);
      for (let k = 0; k < 4; k++) expect(run.losses[k]!).toBeCloseTo(cpu.losses[k]!, 3);
      // The engine frees tensors nothing references when V8 collects them, so a collection during
      // the epoch may free earlier garbage (the count then drops): an epoch must add none.
      expect(run.leaked).toBeLessThanOrEqual(0);
    });
  },
  { except: ["cpu"] },
);
