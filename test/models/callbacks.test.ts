/**
 * Callbacks as TF.js programs pass them: null, undefined, one object, arrays (with nulls), plain
 * `{ onEpochEnd }` objects, `tf.CustomCallback`, `tf.Callback` subclasses, registered
 * constructors; and `tf.callbacks.earlyStopping` stopping at the same epoch as TF.js's on the
 * same sequence of logs.
 */
import { beforeAll, describe, expect, test, vi } from "vitest";
import * as tf from "../../src/tf.js";
import { oracleReady, tfl } from "./tfjs-oracle.js";

beforeAll(oracleReady);

function smallModel() {
  tf.setSeed(1);
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
  m.compile({ optimizer: "sgd", loss: "meanSquaredError" });
  return { m, x: tf.ones([4, 2]), y: tf.zeros([4, 1]) };
}

describe("fit accepts callbacks in every form TF.js programs use", () => {
  test("null, undefined, an empty array and arrays with null entries train without callbacks", async () => {
    const { m, x, y } = smallModel();
    for (const callbacks of [null, undefined, [], [null, undefined]]) {
      const h = await m.fit(x, y, { epochs: 2, verbose: 0, callbacks: callbacks as never });
      expect(h.history.loss).toHaveLength(2);
    }
  });

  test("a plain object, an array of them, a tf.CustomCallback and a tf.Callback subclass each hear every hook", async () => {
    const { m, x, y } = smallModel();
    const heard: string[] = [];
    class Counter extends tf.Callback {
      async onEpochEnd(epoch: number) {
        heard.push(`subclass ${epoch} ${this.params?.epochs}`);
      }
    }
    await m.fit(x, y, {
      epochs: 2,
      batchSize: 2,
      verbose: 0,
      callbacks: [
        { onEpochEnd: (epoch: number, logs?: tf.Logs) => void heard.push(`plain ${epoch} ${typeof logs?.loss}`) },
        new tf.CustomCallback({
          onTrainBegin: () => void heard.push("custom train begin"),
          onBatchEnd: (batch) => void heard.push(`custom batch ${batch}`),
          onTrainEnd: () => void heard.push("custom train end"),
        }),
        new Counter(),
      ],
    });
    expect(heard).toEqual([
      "custom train begin",
      "custom batch 0",
      "custom batch 1",
      "plain 0 number",
      "subclass 0 2",
      "custom batch 0",
      "custom batch 1",
      "plain 1 number",
      "subclass 1 2",
      "custom train end",
    ]);
    await m.fit(x, y, { epochs: 1, verbose: 0, callbacks: { onTrainEnd: () => void heard.push("single") } });
    expect(heard.at(-1)).toBe("single");
  });

  test("async hooks are awaited before training goes on", async () => {
    const { m, x, y } = smallModel();
    const order: string[] = [];
    await m.fit(x, y, {
      epochs: 2,
      verbose: 0,
      callbacks: {
        onEpochEnd: async (epoch: number) => {
          await new Promise((r) => setTimeout(r, 5));
          order.push(`end ${epoch}`);
        },
        onEpochBegin: (epoch: number) => void order.push(`begin ${epoch}`),
      },
    });
    expect(order).toEqual(["begin 0", "end 0", "begin 1", "end 1"]);
  });

  test("bad callbacks explain themselves", async () => {
    const { m, x, y } = smallModel();
    await expect(m.fit(x, y, { verbose: 0, callbacks: (() => {}) as never })).rejects.toThrow(
      /expected a callback object such as \{ onEpochEnd/,
    );
    await expect(m.fit(x, y, { verbose: 0, callbacks: [1] as never })).rejects.toThrow(/callbacks\[0\]/);
    expect(() => new tf.CustomCallback({ onYield: () => {} }, "never")).toThrow(/yieldEvery is `never`/);
  });

  test("registerCallbackConstructor adds an instance to every run at or above its verbosity", async () => {
    const { m, x, y } = smallModel();
    const seen: number[] = [];
    class Probe extends tf.Callback {
      async onTrainEnd() {
        seen.push(this.params?.verbose ?? -1);
      }
    }
    tf.registerCallbackConstructor(2, Probe);
    expect(() => tf.registerCallbackConstructor(2, Probe)).toThrow("Duplicate callback constructor.");
    expect(() => tf.registerCallbackConstructor(-1, class extends tf.Callback {})).toThrow(/integer >= 0/);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await m.fit(x, y, { epochs: 1, verbose: 0 });
      await m.fit(x, y, { epochs: 1, verbose: 2 });
    } finally {
      log.mockRestore();
    }
    expect(seen).toEqual([2]);
  });

  test("tf.nextFrame resolves on a later turn of the event loop", async () => {
    let later = false;
    setImmediate(() => (later = true));
    await tf.nextFrame();
    expect(later).toBe(true);
  });
});

describe("earlyStopping stops at the epoch TF.js stops at", () => {
  type Args = Parameters<typeof tf.callbacks.earlyStopping>[0];
  /** Feeds the same epoch logs to both callbacks and returns the epoch at which each set stopTraining. */
  async function stopEpochs(args: Args, logs: Record<string, number>[]) {
    const results: (number | undefined)[] = [];
    for (const make of [() => tf.callbacks.earlyStopping(args), () => tfl.callbacks.earlyStopping(args)]) {
      const cb = make();
      const model = { stopTraining: false, getWeights: () => [], setWeights: () => {} };
      (cb as unknown as { model: unknown }).model = model;
      await cb.onTrainBegin?.({});
      let stopped: number | undefined;
      for (let epoch = 0; epoch < logs.length && stopped === undefined; epoch++) {
        await cb.onEpochEnd?.(epoch, { ...logs[epoch] });
        if (model.stopTraining) stopped = epoch;
      }
      results.push(stopped);
    }
    return results;
  }
  const series = (key: string, values: number[]) => values.map((v) => ({ [key]: v }));

  const cases: [string, Args, Record<string, number>[]][] = [
    ["patience 0 stops at the first epoch without improvement", { monitor: "loss" }, series("loss", [3, 2, 2.5, 1])],
    ["patience 2", { monitor: "val_loss", patience: 2 }, series("val_loss", [3, 2, 2.1, 2.2, 1, 0.5])],
    [
      "minDelta: small gains do not count",
      { monitor: "loss", minDelta: 0.5, patience: 1 },
      series("loss", [3, 2.8, 2.7, 2]),
    ],
    [
      "an accuracy is maximised in auto mode",
      { monitor: "val_acc", patience: 1 },
      series("val_acc", [0.5, 0.7, 0.6, 0.65, 0.9]),
    ],
    ["mode max", { monitor: "score", mode: "max" }, series("score", [1, 2, 1.5])],
    ["a baseline must be beaten", { monitor: "loss", baseline: 1, patience: 1 }, series("loss", [2, 1.5, 0.5, 0.4])],
    ["never stops while it improves", { monitor: "loss", patience: 1 }, series("loss", [5, 4, 3, 2, 1])],
  ];
  for (const [name, args, logs] of cases) {
    test(name, async () => {
      const [mine, reference] = await stopEpochs(args, logs);
      expect(mine).toEqual(reference);
    });
  }

  test("a missing monitored value warns (with the available keys) and does not stop", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const [mine, reference] = await stopEpochs({ monitor: "val_loss" }, series("loss", [1, 2, 3]));
      expect(mine).toBeUndefined();
      expect(reference).toBeUndefined();
      expect(String(warn.mock.calls[0][0])).toMatch(/Metric for EarlyStopping val_loss is not available.*loss/);
    } finally {
      warn.mockRestore();
    }
  });

  test("in fit: verbose prints the stop epoch; restoreBestWeights puts the best weights back (deepts only)", async () => {
    const { m, x, y } = smallModel();
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      m.compile({ optimizer: tf.train.sgd(0), loss: "meanSquaredError" });
      const h = await m.fit(x, y, {
        epochs: 20,
        verbose: 0,
        callbacks: tf.callbacks.earlyStopping({ monitor: "loss", patience: 1, verbose: 1, restoreBestWeights: true }),
      });
      expect(h.history.loss).toHaveLength(2);
      expect(log.mock.calls.map((c) => String(c[0]))).toContain("Epoch 1: early stopping.");
    } finally {
      log.mockRestore();
    }
  });
});
