/**
 * `tf.node.summaryFileWriter` and the `tf.node.tensorBoard` fit callback write event files that
 * TensorBoard itself reads: each directory is loaded with TensorBoard's EventFileLoader (which
 * checks the TFRecord framing and CRCs) and its plugin accumulator (which must file the scalars
 * and histograms under their plugins). Needs a Python with `tensorboard`: `$DEEPTS_TEST_VENV`,
 * else `.venv` in the repository (CI installs it there).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as tf from "../../src/tf.js";

const repoRoot = join(import.meta.dirname, "../..");
const python = join(process.env.DEEPTS_TEST_VENV ?? join(repoRoot, ".venv"), "bin/python");
const work = mkdtempSync(join(tmpdir(), "deepts-tensorboard-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Point {
  step: number;
  value: number | number[][];
}
interface Run {
  file: string;
  file_version: string;
  records: number;
  plugins: Record<string, Record<string, Point[]>>;
}

function readWithTensorBoard(logdir: string): Record<string, Run> {
  if (!existsSync(python)) {
    throw new Error(
      `no Python with tensorboard at ${python}: pip install tensorboard into .venv (or set DEEPTS_TEST_VENV)`,
    );
  }
  const script = join(import.meta.dirname, "read_tensorboard_events.py");
  return JSON.parse(execFileSync(python, [script, logdir], { encoding: "utf8" }));
}

describe("summaryFileWriter", () => {
  it("writes scalars and histograms TensorBoard reads back, in a TensorFlow-named event file", () => {
    const logdir = join(work, "writer");
    const writer = tf.node.summaryFileWriter(logdir);
    expect(tf.node.summaryFileWriter(logdir)).toBe(writer);
    for (let step = 0; step < 25; step++) writer.scalar("sine", Math.sin(step / 4), step);
    writer.scalar("from_tensor", tf.scalar(2.5), 3);
    writer.histogram("normal", tf.tensor([1, 2, 2, 3, 3, 3, 10]), 1, 3);
    writer.histogram("constant", tf.fill([4], 7), 2);
    writer.flush();
    const files = readdirSync(logdir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^events\.out\.tfevents\.\d{10}\..+\.v2$/);

    const run = readWithTensorBoard(logdir)["."]!;
    expect(run.file_version).toBe("brain.Event:2");
    expect(run.records).toBe(1 + 25 + 1 + 2);
    const sine = run.plugins.scalars!.sine!;
    expect(sine.map((p) => p.step)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    sine.forEach((p, i) => expect(p.value).toBeCloseTo(Math.sin(i / 4), 6));
    expect(run.plugins.scalars!.from_tensor).toEqual([{ step: 3, value: 2.5 }]);
    // Three equal-width buckets over [1, 10]: 1,2,2,3,3,3 in the first, 10 in the last (closed).
    expect(run.plugins.histograms!.normal).toEqual([
      {
        step: 1,
        value: [
          [1, 4, 6],
          [4, 7, 0],
          [7, 10, 1],
        ],
      },
    ]);
    expect(run.plugins.histograms!.constant).toEqual([{ step: 2, value: [[6.5, 7.5, 4]] }]);
  });

  it("queues events until maxQueue, and refuses bad arguments clearly", () => {
    const logdir = join(work, "queue");
    const writer = tf.node.summaryFileWriter(logdir, 3);
    const file = join(logdir, readdirSync(logdir)[0]!);
    const size = () => readFileSync(file).length;
    const opened = size();
    writer.scalar("a", 1, 0);
    writer.scalar("a", 2, 1);
    expect(size()).toBe(opened);
    writer.scalar("a", 3, 2);
    expect(size()).toBeGreaterThan(opened);
    expect(() => tf.node.summaryFileWriter("")).toThrow(/Invalid logdir/);
    expect(() => writer.scalar("a", 1, 1.5)).toThrow(/step is expected to be an integer/);
    expect(() => writer.scalar("a", tf.tensor([1, 2]), 1)).toThrow(/non-scalar tensor \(rank 1\)/);
    expect(() => writer.histogram("h", tf.tensor([1, 2]), 1, 0)).toThrow(/strictly positive integer/);
  });

  it("writes what is still queued when the process exits", () => {
    const logdir = join(work, "exit");
    const dist = join(repoRoot, "dist/tf.js");
    const program = `import * as tf from ${JSON.stringify(dist)};
const w = tf.node.summaryFileWriter(${JSON.stringify(logdir)});
w.scalar("queued", 1.5, 7);`;
    execFileSync(process.execPath, ["--input-type=module", "-e", program]);
    expect(readWithTensorBoard(logdir)["."]!.plugins.scalars!.queued).toEqual([{ step: 7, value: 1.5 }]);
  });
});

describe("tensorBoard fit callback", () => {
  it("logs epoch and batch losses, metrics and validation to train/ and val/", async () => {
    const logdir = join(work, "fit");
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: "sgd", loss: "meanSquaredError", metrics: ["mse"] });
    const xs = tf.randomNormal([20, 2], 0, 1, "float32", 1);
    const ys = xs.sum(1, true);
    const history = await model.fit(xs, ys, {
      epochs: 3,
      batchSize: 8,
      validationSplit: 0.2,
      verbose: 0,
      callbacks: tf.node.tensorBoard(logdir, { updateFreq: "batch", histogramFreq: 2 }),
    });
    const runs = readWithTensorBoard(logdir);
    expect(Object.keys(runs).sort()).toEqual(["train", "val"]);
    const train = runs.train!.plugins;
    expect(train.scalars!.epoch_loss!.map((p) => p.step)).toEqual([1, 2, 3]);
    train.scalars!.epoch_loss!.forEach((p, i) => expect(p.value).toBeCloseTo(history.history.loss![i]!, 5));
    expect(Object.keys(train.scalars!).sort()).toEqual(["batch_loss", "batch_mse", "epoch_loss", "epoch_mse"]);
    // 16 training examples in batches of 8: two batches an epoch, numbered across epochs.
    expect(train.scalars!.batch_loss!.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    const val = runs.val!.plugins.scalars!;
    val.epoch_loss!.forEach((p, i) => expect(p.value).toBeCloseTo(history.history.val_loss![i]!, 5));
    // Weight histograms at epochs 0 and 2 (histogramFreq 2), one per weight.
    expect(Object.keys(train.histograms!)).toHaveLength(2);
    for (const points of Object.values(train.histograms!)) expect(points.map((p) => p.step)).toEqual([0, 2]);
  });

  it("refuses an unknown updateFreq or histogramFreq", () => {
    expect(() => tf.node.tensorBoard("/tmp/x", { updateFreq: "step" as "batch" })).toThrow(/updateFreq/);
    expect(() => tf.node.tensorBoard("/tmp/x", { histogramFreq: -1 })).toThrow(/histogramFreq/);
  });
});

describe("tfjs-node's SavedModel functions", () => {
  it("say that they need TensorFlow's C library and what to use instead", async () => {
    await expect(tf.node.loadSavedModel("/tmp/model")).rejects.toThrow(/C library.*tf\.loadLayersModel/);
    await expect(tf.node.getMetaGraphsFromSavedModel("/tmp/model")).rejects.toThrow(/C library/);
    expect(() => tf.node.getNumOfSavedModels()).toThrow(/C library/);
  });
});
