/**
 * Optimizer state in TF.js's layout (`getWeights` / `setWeights` / `saveIterations`): state saved by
 * TF.js continues training in deepts exactly as it does in TF.js, and deepts's own state round-trips.
 */
import { beforeAll, describe, expect, test } from "vitest";
import * as tf from "../../src/tf.js";
import { tfc, oracleReady } from "./tfjs-oracle.js";
import { expectClose } from "./helpers.js";

beforeAll(oracleReady);

const w0 = [0.5, -1.2, 2.0, 0.3];
const target = [1, 2, -1, 0];

type AnyOptimizer = any;

const makers: [string, (lib: any) => AnyOptimizer][] = [
  ["sgd", (lib) => lib.train.sgd(0.1)],
  ["momentum", (lib) => lib.train.momentum(0.05, 0.9)],
  ["adagrad", (lib) => lib.train.adagrad(0.1)],
  ["rmsprop", (lib) => lib.train.rmsprop(0.05, 0.9, 0.5)],
  ["adam", (lib) => lib.train.adam(0.05)],
];
// Adamax is left out: TF.js's AdamaxOptimizer.getWeights throws "not implemented".

describe("optimizer state in TF.js's layout", () => {
  for (const [name, make] of makers) {
    test(`${name}: TF.js's saved state continues in deepts as in TF.js`, async () => {
      const loss = (lib: any, w: unknown) => lib.sum(lib.square(lib.sub(w, lib.tensor(target))));
      const theirVar = tfc.variable(tfc.tensor(w0), true, `w_${name}`);
      const theirOpt = make(tfc);
      for (let i = 0; i < 3; i++) theirOpt.minimize(() => loss(tfc, theirVar));
      const saved = await theirOpt.getWeights();
      const ourVar = tf.variable(tf.tensor(Array.from(theirVar.dataSync() as Float32Array)), true, `w_${name}`);
      const ourOpt = make(tf);
      await ourOpt.setWeights(
        saved.map((w: any) => ({
          name: w.name,
          tensor: tf.tensor(Array.from(w.tensor.dataSync()), w.tensor.shape, w.tensor.dtype),
        })),
      );
      expect(ourOpt.iterations).toBe(3);
      for (let i = 0; i < 2; i++) {
        theirOpt.minimize(() => loss(tfc, theirVar));
        ourOpt.minimize(() => loss(tf, ourVar));
      }
      expectClose(Array.from(ourVar.dataSync() as Float32Array), Array.from(theirVar.dataSync() as Float32Array), 1e-5);
      const ours = await ourOpt.getWeights();
      const theirsAfter = await theirOpt.getWeights();
      expect(ours.map((w: any) => w.name)).toEqual(theirsAfter.map((w: any) => w.name));
      ours.forEach((w: any, i: number) =>
        expectClose(Array.from(w.tensor.dataSync()), Array.from(theirsAfter[i].tensor.dataSync()), 1e-4),
      );
      ourVar.dispose();
      theirVar.dispose();
    });
  }

  test("saveIterations and a deepts round trip (Adam, Adamax)", async () => {
    for (const make of [() => tf.train.adam(0.05), () => tf.train.adamax(0.05)]) await roundTrip(make);
  });
});

async function roundTrip(make: () => tf.Optimizer): Promise<void> {
  {
    const w = tf.variable(tf.tensor(w0), true, "w_roundtrip");
    const a = make();
    for (let i = 0; i < 4; i++) a.minimize(() => tf.sum(tf.square(w)));
    const iter = await a.saveIterations();
    expect(iter.name).toBe("iter");
    expect(iter.tensor.dtype).toBe("int32");
    expect(Array.from(iter.tensor.dataSync())).toEqual([4]);
    // A fresh optimizer given a's state takes the same next step.
    const b = make();
    await b.setWeights(await a.getWeights());
    const before = tf.clone(w);
    const g = { w_roundtrip: tf.tensor([0.3, -0.2, 0.1, 0.5]) };
    a.applyGradients(g);
    const stepA = Array.from(w.dataSync());
    w.assign(before);
    b.applyGradients(g);
    expectClose(Array.from(w.dataSync()), stepA, 1e-6);
    await expect(b.setWeights([{ name: "nameless", tensor: tf.scalar(1) }])).rejects.toThrow(/variableName\/slot/);
    w.dispose();
  }
}
