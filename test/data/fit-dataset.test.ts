/**
 * model.fitDataset / evaluateDataset against real TF.js (tfjs-layers + tfjs-data 4.22): the same
 * model with the same weights, trained on the same dataset, gives the same History and weights,
 * fires the same callback hooks with the same logs, and evaluates to the same numbers. Then the
 * element forms (`{xs, ys}`, `[xs, ys]`, named inputs/outputs), errors, memory and yielding.
 */
import { beforeAll, describe, expect, test, vi } from "vitest";
import * as tf from "../../src/tf.js";
import { expectClose, values } from "../models/helpers.js";
import { oracleReady, tfc, tfd, tfl } from "./tfjs-data-oracle.js";

beforeAll(oracleReady);

const N = 40;
const FEATURES = 3;
/** Deterministic rows: features in [-1, 1), target a linear function of them, label its sign. */
const rows = Array.from({ length: N }, (_, i) => {
  const x = Array.from({ length: FEATURES }, (_, k) => Math.sin(1.7 * i + k) * 0.9);
  const y = 0.5 * x[0] - 1.2 * x[1] + 0.3 * x[2] + 0.1;
  return { x, y, label: y > 0 ? 1 : 0 };
});

type Lib = { data: any; layers: any; sequential: any; train: any; tensor: (v: number[][]) => unknown };
const ours: Lib = {
  data: tf.data,
  layers: tf.layers,
  sequential: tf.sequential,
  train: tf.train,
  tensor: (v) => tf.tensor(v),
};
const theirs: Lib = {
  data: tfd,
  layers: tfl.layers,
  sequential: tfl.sequential,
  train: tfc.train,
  tensor: (v) => tfc.tensor(v),
};

function dataset(lib: Lib, from = 0, to = N, batchSize = 8) {
  const part = rows.slice(from, to);
  return lib.data
    .zip({ xs: lib.data.array(part.map((r) => r.x)), ys: lib.data.array(part.map((r) => [r.y])) })
    .batch(batchSize);
}

function build(lib: Lib, weights?: tf.Tensor[]) {
  const m = lib.sequential({
    layers: [
      lib.layers.dense({ units: 6, activation: "tanh", inputShape: [FEATURES] }),
      lib.layers.dense({ units: 1 }),
    ],
  });
  if (weights) m.setWeights(weights.map((w) => (lib === ours ? w : tfc.tensor(values(w), w.shape))));
  m.compile({ optimizer: lib.train.sgd(0.1), loss: "meanSquaredError", metrics: ["mse"] });
  return m;
}

/** Records hook calls as `hook index [log keys]`, and the numeric logs. */
function recorder() {
  const calls: string[] = [];
  const logs: Record<string, number>[] = [];
  const hook =
    (name: string) =>
    async (...args: unknown[]) => {
      const index = typeof args[0] === "number" ? ` ${args[0]}` : "";
      const l = (args.find((a) => a && typeof a === "object") ?? {}) as Record<string, number>;
      calls.push(`${name}${index} [${Object.keys(l).sort().join(",")}]`);
      logs.push({ ...l });
    };
  const callbacks = Object.fromEntries(
    ["onTrainBegin", "onEpochBegin", "onBatchBegin", "onBatchEnd", "onEpochEnd", "onTrainEnd"].map((h) => [h, hook(h)]),
  );
  return { calls, logs, callbacks };
}

async function bothFit(args: (lib: Lib) => Record<string, unknown>, train = (lib: Lib) => dataset(lib, 0, 32)) {
  tf.setSeed(11);
  const a = build(ours);
  const b = build(theirs, a.getWeights());
  const ra = recorder();
  const rb = recorder();
  const ha = await a.fitDataset(train(ours), { verbose: 0, callbacks: ra.callbacks, ...args(ours) });
  const hb = await b.fitDataset(train(theirs), { verbose: 0, callbacks: rb.callbacks, ...args(theirs) });
  return { a, b, ha, hb, ra, rb };
}

function expectSameHistory(ha: tf.History, hb: { history: Record<string, number[]>; epoch: number[] }) {
  expect(ha.epoch).toEqual(hb.epoch);
  expect(Object.keys(ha.history).sort()).toEqual(Object.keys(hb.history).sort());
  for (const k of Object.keys(hb.history)) expectClose(ha.history[k], hb.history[k], 1e-4);
}

describe("fitDataset gives TF.js's History, weights and callback calls", () => {
  test("one pass per epoch, validation on a dataset", async () => {
    const { a, b, ha, hb, ra, rb } = await bothFit((lib) => ({ epochs: 3, validationData: dataset(lib, 32, N) }));
    expectSameHistory(ha, hb);
    expect(ha.history.loss[2]).toBeLessThan(ha.history.loss[0]);
    a.getWeights().forEach((w: tf.Tensor, i: number) =>
      expectClose(values(w), Array.from(b.getWeights()[i].dataSync() as Float32Array), 1e-4),
    );
    expect(ra.calls).toEqual(rb.calls);
    expect(ra.calls.slice(0, 4)).toEqual([
      "onTrainBegin [batch,size]".replace("batch,size", ""),
      "onEpochBegin 0 []",
      "onBatchBegin 0 [batch,size]",
      "onBatchEnd 0 [batch,loss,mse,size]",
    ]);
    expect(ra.calls).toContain("onEpochEnd 2 [loss,mse,val_loss,val_mse]");
    // The batch logs carry the same numbers (TF.js's callbacks see numbers too).
    ra.logs.forEach((l, i) => {
      for (const k of Object.keys(rb.logs[i])) expect(l[k]).toBeCloseTo(rb.logs[i][k], 4);
    });
  });

  test("batchesPerEpoch reads on through a repeated dataset across epochs; validation on tensors", async () => {
    const { ha, hb, ra, rb } = await bothFit(
      (lib) => ({
        epochs: 3,
        batchesPerEpoch: 3,
        validationData: [lib.tensor(rows.slice(32).map((r) => r.x)), lib.tensor(rows.slice(32).map((r) => [r.y]))],
        validationBatchSize: 4,
      }),
      (lib) => dataset(lib, 0, 32).repeat(),
    );
    expectSameHistory(ha, hb);
    expect(ra.calls).toEqual(rb.calls);
    expect(ra.calls.filter((c) => c.startsWith("onBatchEnd"))).toHaveLength(9);
  });

  test("a dataset that runs out before batchesPerEpoch: a warning, and the epochs end early as in TF.js", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      // 4 batches: epoch 0 takes 3, epoch 1 gets 1 and runs out, epoch 2 gets none.
      const { ha, hb, ra, rb } = await bothFit(() => ({ epochs: 3, batchesPerEpoch: 3 }));
      expectSameHistory(ha, hb);
      expect(ra.calls).toEqual(rb.calls);
      expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes("ran out of data"))).toHaveLength(4);
    } finally {
      warn.mockRestore();
    }
  });

  test("initialEpoch and validationBatches", async () => {
    const { ha, hb, ra, rb } = await bothFit((lib) => ({
      epochs: 4,
      initialEpoch: 2,
      validationData: dataset(lib, 32, N, 2),
      validationBatches: 2,
    }));
    expectSameHistory(ha, hb);
    expect(ha.epoch).toEqual([2, 3]);
    expect(ra.calls).toEqual(rb.calls);
  });

  test("classWeight weighs each example's loss by its class, as in TF.js", async () => {
    const classify = (lib: Lib, weights?: tf.Tensor[]) => {
      const m = lib.sequential({
        layers: [lib.layers.dense({ units: 3, activation: "softmax", inputShape: [FEATURES] })],
      });
      if (weights) m.setWeights(weights.map((w) => tfc.tensor(values(w), w.shape)));
      m.compile({ optimizer: lib.train.sgd(0.5), loss: "categoricalCrossentropy" });
      return m;
    };
    const labelled = (lib: Lib) =>
      lib.data
        .zip({
          xs: lib.data.array(rows.map((r) => r.x)),
          ys: lib.data.array(rows.map((_, i) => [0, 1, 2].map((c) => (c === i % 3 ? 1 : 0)))),
        })
        .batch(10);
    tf.setSeed(8);
    const a = classify(ours);
    const b = classify(theirs, a.getWeights());
    const classWeight = { 0: 1, 1: 5, 2: 0.2 };
    const ha = await a.fitDataset(labelled(ours), { epochs: 2, verbose: 0, classWeight });
    const hb = await b.fitDataset(labelled(theirs), { epochs: 2, verbose: 0, classWeight });
    expectSameHistory(ha, hb);
  });

  test("evaluateDataset gives TF.js's numbers (all batches, and the first `batches`)", async () => {
    tf.setSeed(3);
    const a = build(ours);
    const b = build(theirs, a.getWeights());
    for (const args of [{}, { batches: 2 }]) {
      const ea = (await a.evaluateDataset(dataset(ours, 0, N, 6), args)) as tf.Scalar[];
      const eb = await b.evaluateDataset(dataset(theirs, 0, N, 6), args);
      expect(ea).toHaveLength(2);
      expect(ea[0]).toBeInstanceOf(tf.Tensor);
      expect(ea[0].shape).toEqual([]);
      expectClose(
        ea.map((t) => t.dataSync()[0]),
        eb.map((t: tf.Tensor) => t.dataSync()[0]),
        1e-5,
      );
    }
    // And the same as evaluate on the tensors.
    const ev = a.evaluate(tf.tensor(rows.map((r) => r.x)), tf.tensor(rows.map((r) => [r.y])), {
      batchSize: 6,
    }) as tf.Scalar[];
    const ed = (await a.evaluateDataset(dataset(ours, 0, N, 6))) as tf.Scalar[];
    expectClose([ev[0].dataSync()[0]], [ed[0].dataSync()[0]], 1e-5);
  });
});

describe("element forms", () => {
  function twoInTwoOut() {
    tf.setSeed(4);
    const a = tf.input({ shape: [2], name: "left" });
    const b = tf.input({ shape: [1], name: "right" });
    const joined = tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor;
    const hidden = tf.layers.dense({ units: 8, activation: "relu" }).apply(joined) as tf.SymbolicTensor;
    const sum = tf.layers.dense({ units: 1, name: "sum" }).apply(hidden) as tf.SymbolicTensor;
    const sign = tf.layers.dense({ units: 1, activation: "sigmoid", name: "sign" }).apply(hidden) as tf.SymbolicTensor;
    const m = tf.model({ inputs: [a, b], outputs: [sum, sign] });
    m.compile({ optimizer: tf.train.adam(0.02), loss: ["meanSquaredError", "binaryCrossentropy"] });
    return m;
  }
  const pairs = rows.map((r) => ({ l: r.x.slice(0, 2), r: [r.x[2]], sum: [r.y], sign: [r.label] }));

  test("multi-input, multi-output: xs and ys as objects keyed by layer name, or as arrays", async () => {
    const m = twoInTwoOut();
    const named = tf.data
      .array(pairs)
      .map((p) => ({ xs: { left: p.l, right: p.r }, ys: { sum: p.sum, sign: p.sign } }))
      .batch(10);
    const h = await m.fitDataset(named, { epochs: 8, verbose: 0 });
    expect(h.history.loss[7]).toBeLessThan(h.history.loss[0]);
    // Batching turns an array in an element into one tensor (as in TF.js), so for arrays of
    // inputs/outputs zip datasets that are already batched:
    const batched = tf.data.zip({
      xs: {
        left: tf.data.array(pairs.map((p) => p.l)).batch(10),
        right: tf.data.array(pairs.map((p) => p.r)).batch(10),
      },
      ys: [tf.data.array(pairs.map((p) => p.sum)).batch(10), tf.data.array(pairs.map((p) => p.sign)).batch(10)],
    });
    const h2 = await m.fitDataset(batched, { epochs: 2, verbose: 0 });
    expect(h2.history.loss).toHaveLength(2);
    const ev = (await m.evaluateDataset(batched)) as tf.Scalar[];
    expect(ev).toHaveLength(1 + 2);
  });

  test("a multi-output model logs each output's loss, and evaluates to [loss, ...output losses]", async () => {
    const m = twoInTwoOut();
    const build2 = (lib: typeof tf | typeof tfl) => {
      const a = lib.input({ shape: [2], name: "left" });
      const b = lib.input({ shape: [1], name: "right" });
      const joined = lib.layers.concatenate().apply([a, b]);
      const hidden = lib.layers.dense({ units: 8, activation: "relu" }).apply(joined);
      const outs = [
        lib.layers.dense({ units: 1, name: "sum" }).apply(hidden),
        lib.layers.dense({ units: 1, activation: "sigmoid", name: "sign" }).apply(hidden),
      ];
      return lib.model({ inputs: [a, b], outputs: outs });
    };
    const theirsModel = build2(tfl);
    theirsModel.setWeights(m.getWeights().map((w) => tfc.tensor(values(w), w.shape)));
    theirsModel.compile({ optimizer: tfc.train.adam(0.02), loss: ["meanSquaredError", "binaryCrossentropy"] });
    const xs = [tf.tensor(pairs.map((p) => p.l)), tf.tensor(pairs.map((p) => p.r))];
    const ys = [tf.tensor(pairs.map((p) => p.sum)), tf.tensor(pairs.map((p) => p.sign))];
    const mine = (m.evaluate(xs, ys) as tf.Scalar[]).map((t) => t.dataSync()[0]);
    const reference = theirsModel
      .evaluate(
        xs.map((t) => tfc.tensor(values(t), t.shape)),
        ys.map((t) => tfc.tensor(values(t), t.shape)),
      )
      .map((t: tf.Tensor) => t.dataSync()[0]);
    // TF.js 4.22 returns one value too many for multi-output models: [first output's loss, total,
    // ...output losses]; the values from the total on are the ones its metricsNames describe.
    expect(reference).toHaveLength(4);
    expectClose(mine, reference.slice(1), 1e-5);
    const h = await m.fit(xs, ys, { epochs: 1, verbose: 0 });
    const hr = await theirsModel.fit(
      xs.map((t) => tfc.tensor(values(t), t.shape)),
      ys.map((t) => tfc.tensor(values(t), t.shape)),
      { epochs: 1, verbose: 0, shuffle: false },
    );
    expect(Object.keys(h.history).sort()).toEqual(Object.keys(hr.history).sort());
  });

  test("params.steps: the dataset's size when known; for an unknown length, learned after the first pass", async () => {
    const m = build(ours);
    const seen: (number | null)[] = [];
    class Steps extends tf.Callback {
      async onEpochBegin() {
        seen.push(this.params!.steps);
        expect(this.model).toBe(m);
      }
    }
    await m.fitDataset(dataset(ours), { epochs: 2, verbose: 0, callbacks: new Steps() });
    await m.fitDataset(
      dataset(ours).filter(() => true),
      { epochs: 2, verbose: 0, callbacks: new Steps() },
    );
    expect(seen).toEqual([5, 5, null, 5]);
  });

  test("[xs, ys] pairs as elements", async () => {
    const m = build(ours);
    const ds = dataset(ours).map((b: { xs: tf.Tensor; ys: tf.Tensor }) => [b.xs, b.ys]);
    const h = await m.fitDataset(ds, { epochs: 2, verbose: 0 });
    expect(h.history.loss).toHaveLength(2);
  });

  test("clear errors: unbatched elements, missing keys, wrong structure, bad config", async () => {
    const m = build(ours);
    const unbatched = tf.data.array(rows.map((r) => ({ xs: tf.tensor1d(r.x), ys: tf.tensor1d([r.y]) })));
    await expect(m.fitDataset(unbatched, { epochs: 1, verbose: 0 })).rejects.toThrow(/batch the dataset/);
    await expect(m.fitDataset(tf.data.array([1, 2]), { epochs: 1, verbose: 0 })).rejects.toThrow(
      /expected to generate objects of the form `\{xs: xVal, ys: yVal\}`/,
    );
    const f = twoInTwoOut();
    const missing = tf.data.array([{ xs: { left: tf.zeros([1, 2]) }, ys: [tf.zeros([1, 1]), tf.zeros([1, 1])] }]);
    await expect(f.fitDataset(missing, { epochs: 1, verbose: 0 })).rejects.toThrow(
      /lacks the required input key 'right'/,
    );
    await expect(m.fitDataset(dataset(ours), { epochs: 0 } as never)).rejects.toThrow(
      /epochs is expected to be a positive integer/,
    );
    await expect(m.fitDataset(dataset(ours), { epochs: 1, batchesPerEpoch: 1.5 })).rejects.toThrow(/batchesPerEpoch/);
    await expect(m.fitDataset(dataset(ours), { epochs: 1, validationSplit: 0.2 } as never)).rejects.toThrow(
      "`validationSplit` is not supported by `fitDataset()`",
    );
    const uncompiled = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
    await expect(uncompiled.fitDataset(dataset(ours), { epochs: 1 })).rejects.toThrow(/must be compiled/);
  });

  test("a second fit while one runs is refused", async () => {
    const m = build(ours);
    const first = m.fitDataset(dataset(ours), { epochs: 2, verbose: 0 });
    await expect(m.fitDataset(dataset(ours), { epochs: 1, verbose: 0 })).rejects.toThrow(
      "Cannot start training because another fit() call is ongoing.",
    );
    await first;
  });
});

describe("memory and the event loop", () => {
  test("no tensor outlives an epoch: shuffle, map and batch stages, validation, early stop", async () => {
    const m = build(ours);
    const ds = tf.data
      .array(rows)
      .shuffle(N, 1)
      .map((r) => ({ xs: tf.tensor1d(r.x).mul(2), ys: tf.tensor1d([r.y]) }))
      .batch(8)
      .prefetch(2);
    await m.fitDataset(ds, { epochs: 1, verbose: 0 }); // optimizer state is made on the first step
    const before = tf.memory().numTensors;
    await m.fitDataset(ds, { epochs: 3, verbose: 0, validationData: ds.take(2) });
    await m.fitDataset(ds.repeat(), { epochs: 2, batchesPerEpoch: 4, verbose: 0 });
    await m.fitDataset(ds, {
      epochs: 3,
      verbose: 0,
      callbacks: {
        onBatchEnd: () => {
          m.stopTraining = true;
        },
      },
    });
    const ev = await m.evaluateDataset(ds, { batches: 2 });
    tf.dispose(ev);
    expect(tf.memory().numTensors).toBe(before);
  });

  test("an interrupt stops fitDataset between batches: no tensor left behind, the model trains again after", async () => {
    const m = build(ours);
    const ds = tf.data
      .array(rows)
      .map((r) => ({ xs: tf.tensor1d(r.x), ys: tf.tensor1d([r.y]) }))
      .batch(4)
      .prefetch(3);
    await m.fitDataset(ds, { epochs: 1, verbose: 0 });
    const before = tf.memory().numTensors;
    let batches = 0;
    tf.setInterruptCheck(() => {
      if (batches >= 3) throw new Error("KeyboardInterrupt");
    });
    try {
      await expect(
        m.fitDataset(ds, { epochs: 5, verbose: 0, callbacks: { onBatchEnd: () => void batches++ } }),
      ).rejects.toThrow("KeyboardInterrupt");
    } finally {
      tf.setInterruptCheck(undefined);
    }
    expect(batches).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
    const h = await m.fitDataset(ds, { epochs: 1, verbose: 0 });
    expect(h.history.loss.every(Number.isFinite)).toBe(true);
  });

  test("yieldEvery: 'batch' yields (and calls onYield) after every batch, 'never' never", async () => {
    const m = build(ours);
    for (const [yieldEvery, expected] of [
      ["batch", 5],
      ["never", 0],
    ] as const) {
      const yields: number[] = [];
      await m.fitDataset(dataset(ours), {
        epochs: 1,
        verbose: 0,
        yieldEvery,
        callbacks: { onYield: (_e: number, batch: number) => void yields.push(batch) },
      });
      expect(yields).toHaveLength(expected);
    }
    await expect(m.fitDataset(dataset(ours), { epochs: 1, yieldEvery: "sometimes" as never })).rejects.toThrow(
      /yieldEvery must be/,
    );
  });
});

describe("trainOnBatch and evaluate return what TF.js returns", () => {
  test("trainOnBatch: a number, or numbers with metrics; evaluate: a Scalar, or Scalars", async () => {
    tf.setSeed(2);
    const x = tf.tensor(rows.map((r) => r.x));
    const y = tf.tensor(rows.map((r) => [r.y]));
    const a = build(ours);
    const b = build(theirs, a.getWeights());
    const ta = await a.trainOnBatch(x, y);
    const tb = await b.trainOnBatch(tfc.tensor(values(x), x.shape), tfc.tensor(values(y), y.shape));
    expect(Array.isArray(ta)).toBe(true);
    expectClose(ta as number[], tb as number[], 1e-5);
    const plain = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
    plain.compile({ optimizer: "sgd", loss: "meanSquaredError" });
    expect(typeof (await plain.trainOnBatch(x, y))).toBe("number");
    expect(plain.evaluate(x, y)).toBeInstanceOf(tf.Tensor);
    const ev = a.evaluate(x, y) as tf.Scalar[];
    expect(ev.map((t) => t.rank)).toEqual([0, 0]);
  });

  test("trainOnBatch takes inputs and targets keyed by layer name", async () => {
    const inp = tf.input({ shape: [3], name: "features" });
    const out = tf.layers.dense({ units: 1, name: "price" }).apply(inp) as tf.SymbolicTensor;
    const m = tf.model({ inputs: inp, outputs: out });
    m.compile({ optimizer: "sgd", loss: "meanSquaredError" });
    const loss = await m.trainOnBatch({ features: tf.ones([2, 3]) }, { price: tf.zeros([2, 1]) });
    expect(typeof loss).toBe("number");
    await expect(m.trainOnBatch({ feature: tf.ones([2, 3]) }, tf.zeros([2, 1]))).rejects.toThrow(
      /no tensor for input 'features'/,
    );
  });
});
