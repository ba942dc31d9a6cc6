import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "../../src/runtime/index.js";
import { datasets } from "../../src/models/index.js";
import { parseIdx } from "../../src/models/datasets/idx.js";
import { values } from "./helpers.js";

describe("IDX files", () => {
  test("parses headers and data of every element type", () => {
    const header = (type: number, dims: number[]) => {
      const b = Buffer.alloc(4 + 4 * dims.length);
      b[2] = type;
      b[3] = dims.length;
      dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
      return b;
    };
    const u8 = parseIdx(Buffer.concat([header(0x08, [2, 3]), Buffer.from([1, 2, 3, 4, 5, 255])]));
    expect(u8.shape).toEqual([2, 3]);
    expect(Array.from(u8.data)).toEqual([1, 2, 3, 4, 5, 255]);
    const f = Buffer.alloc(8);
    f.writeFloatBE(1.5, 0);
    f.writeFloatBE(-2, 4);
    expect(Array.from(parseIdx(Buffer.concat([header(0x0d, [2]), f])).data)).toEqual([1.5, -2]);
    const i32 = Buffer.alloc(4);
    i32.writeInt32BE(-7, 0);
    expect(Array.from(parseIdx(Buffer.concat([header(0x0c, [1]), i32])).data)).toEqual([-7]);
    expect(parseIdx(Buffer.concat([header(0x08, [4]), Buffer.from([1, 2, 3, 4])]), 2).shape).toEqual([2]);
    expect(() => parseIdx(Buffer.from([1, 0, 8, 1]))).toThrow(/bad magic/);
    expect(() => parseIdx(Buffer.concat([header(0x08, [10]), Buffer.from([1])]))).toThrow(/truncated/);
  });
});

describe("MNIST", () => {
  test("loads images in [0, 1] as [n, 28, 28, 1] with int labels, from the package's IDX files", () => {
    const { train, test: testSplit } = datasets.mnist.load({ trainSize: 100, testSize: 50 });
    expect(train.xs.shape).toEqual([100, 28, 28, 1]);
    expect(train.xs.dtype).toBe("float32");
    expect(train.ys.shape).toEqual([100]);
    expect(train.ys.dtype).toBe("int32");
    expect(testSplit.xs.shape).toEqual([50, 28, 28, 1]);
    const px = values(train.xs);
    expect(Math.min(...px)).toBe(0);
    expect(Math.max(...px)).toBe(1);
    // The first training labels of MNIST are 5, 0, 4, 1, 9, 2; the first test labels 7, 2, 1, 0.
    expect(Array.from(train.labels.slice(0, 6))).toEqual([5, 0, 4, 1, 9, 2]);
    expect(Array.from(testSplit.labels.slice(0, 4))).toEqual([7, 2, 1, 0]);
    const raw = readFileSync(join(datasets.mnist.dataDir(), "train-images-idx3-ubyte"));
    expect(px[14 * 28 + 14]).toBeCloseTo(raw[16 + 14 * 28 + 14] / 255, 6);
    expect(tf.oneHot(train.ys, 10).shape).toEqual([100, 10]);
    expect(() => datasets.mnist.load({ trainSize: -1 })).toThrow(/non-negative integer/);
  });
});

describe("teaching data sets", () => {
  test("are reproducible from their seed and have the promised shapes", () => {
    const gens = {
      linear: () => datasets.linear({ n: 30, seed: 1 }),
      twoMoons: () => datasets.twoMoons({ n: 30, seed: 1 }),
      spirals: () => datasets.spirals({ n: 30, classes: 3, seed: 1 }),
      blobs: () => datasets.blobs({ n: 30, centers: 4, seed: 1 }),
      sequences: () => datasets.sequences({ n: 30, length: 6, seed: 1 }),
    };
    const shapes: Record<string, [number[], number[]]> = {
      linear: [
        [30, 1],
        [30, 1],
      ],
      twoMoons: [[30, 2], [30]],
      spirals: [[30, 2], [30]],
      blobs: [[30, 2], [30]],
      sequences: [
        [30, 6, 1],
        [30, 1],
      ],
    };
    for (const [name, make] of Object.entries(gens)) {
      const a = make();
      const b = make();
      expect([a.xs.shape, a.ys.shape]).toEqual(shapes[name]);
      expect(values(a.xs)).toEqual(values(b.xs));
      expect(values(a.ys)).toEqual(values(b.ys));
    }
    expect(values(datasets.linear({ n: 5, seed: 1 }).xs)).not.toEqual(values(datasets.linear({ n: 5, seed: 2 }).xs));
  });

  test("follow their definitions", () => {
    const { xs, ys } = datasets.linear({ n: 200, slope: 3, intercept: -1, noise: 0, seed: 2 });
    const x = values(xs);
    values(ys).forEach((y, i) => expect(y).toBeCloseTo(3 * x[i] - 1, 5));
    const seq = datasets.sequences({ n: 10, length: 4, seed: 3 });
    const sx = values(seq.xs);
    values(seq.ys).forEach((s, i) =>
      expect(s).toBeCloseTo(sx[4 * i] + sx[4 * i + 1] + sx[4 * i + 2] + sx[4 * i + 3], 5),
    );
    const inc = datasets.sequences({ n: 10, length: 4, task: "increasing", seed: 3 });
    expect(values(inc.ys)).toEqual(Array.from({ length: 10 }, (_, i) => (sx[4 * i + 3] > sx[4 * i] ? 1 : 0)));
    const labels = values(datasets.spirals({ n: 90, classes: 3, seed: 4 }).ys);
    expect([0, 1, 2].map((c) => labels.filter((l) => l === c).length)).toEqual([30, 30, 30]);
    expect(() => datasets.blobs({ n: 0 })).toThrow(/positive integer/);
  });
});

describe("batching", () => {
  test("shuffled batches cover every example once; unshuffled ones are slices in order", () => {
    const xs = tf.tensor(
      Float32Array.from({ length: 10 }, (_, i) => i),
      [10, 1],
    );
    const seen: number[] = [];
    for (const b of datasets.batches(xs, xs, { batchSize: 4, shuffle: true, seed: 5 })) {
      expect(values(b.xs)).toEqual(values(b.ys!));
      seen.push(...values(b.xs));
    }
    expect(seen.slice().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const sizes = [...datasets.batches(xs, undefined, { batchSize: 4 })].map((b) => values(b.xs));
    expect(sizes).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });
});
