/**
 * The native addon's convolutions (forward, input gradient, filter gradient) against the cpu
 * backend on shapes that reach each way the addon runs them: chunks of images on two threads at
 * once (more chunks than threads, a short last chunk, per-chunk filter-gradient sums), and chunks
 * one after the other (small work, batch 1); with strides, dilation, padding, 1 and 3 channels;
 * output columns whose filter row lies inside the input, at its edges, or wider than it; patches
 * of up to 32 values (the forward product's own kernel where the CPU has AVX2 and FMA: output
 * widths 3, 20, 32, 48) and larger ones (BLAS).
 * Threaded results are the same on every run. An interrupt raised before a threaded convolution
 * stops it with the addon's interrupt error, and the backend works after.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNativeBackend } from "../../src/runtime/backends/native/index.js";
import * as tf from "../../src/runtime/index.js";
import { unavailable } from "./backends.js";

const nativeMissing = unavailable.native;

interface ConvCase {
  why: string;
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: number | [number, number];
  pad: "same" | "valid";
  dilation?: number;
}

// The addon runs a convolution of at least 4M multiply-adds (batch·outH·outW·fh·fw·inC·outC) on
// two threads (the backend's default: the cores, two here), in chunks of at most 512K im2col
// floats (outH·outW·fh·fw·inC per image) and at most half the batch; smaller ones, and batch 1,
// one chunk after the other.
const CASES: ConvCase[] = [
  {
    why: "threads, 3 chunks of 9, 9 and 5 images",
    x: [23, 20, 20, 16],
    f: [3, 3, 16, 32],
    strides: 1,
    pad: "same",
  },
  { why: "threads, strides 2×3, 3 channels", x: [9, 33, 31, 3], f: [5, 4, 3, 64], strides: [2, 3], pad: "valid" },
  { why: "threads, dilation 2", x: [6, 24, 24, 3], f: [3, 3, 3, 48], strides: 1, pad: "same", dilation: 2 },
  { why: "threads, MNIST's first layer (1 channel)", x: [64, 28, 28, 1], f: [3, 3, 1, 32], strides: 1, pad: "valid" },
  { why: "one after the other: batch 1", x: [1, 64, 64, 8], f: [3, 3, 8, 16], strides: 1, pad: "same" },
  { why: "one after the other: small work", x: [3, 7, 6, 2], f: [2, 3, 2, 3], strides: 2, pad: "same" },
  { why: "padding on both sides with stride 2", x: [5, 17, 15, 3], f: [3, 3, 3, 20], strides: 2, pad: "same" },
  { why: "a filter wider than the input", x: [4, 6, 2, 2], f: [3, 5, 2, 6], strides: 1, pad: "same" },
];

/** The convolution, and the gradients of a weighted sum of it (so every dy entry differs). */
function convAndGrads(c: ConvCase): Float32Array[] {
  return tf.tidy(() => {
    tf.setSeed(11);
    const x = tf.randomNormal(c.x);
    const f = tf.randomNormal(c.f, 0, 0.2);
    const conv = (x: tf.Tensor, f: tf.Tensor) =>
      tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.strides, c.pad, "NHWC", c.dilation ?? 1);
    const y = conv(x, f);
    const weights = tf.randomUniform(y.shape, -1, 1);
    const [dx, df] = tf.grads((x, f) => tf.sum(tf.mul(conv(x, f), weights)))([x, f]);
    return [y, dx!, df!].map((t) => t.dataSync() as Float32Array);
  });
}

/** The largest difference, relative to the largest expected magnitude. */
function relativeError(got: Float32Array, want: Float32Array): number {
  expect(got.length).toBe(want.length);
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]!));
    diff = Math.max(diff, Math.abs(got[i]! - want[i]!));
  }
  return diff / scale;
}

describe.skipIf(nativeMissing !== undefined)(
  `native convolutions match cpu${nativeMissing ? ` (skipped: ${nativeMissing})` : ""}`,
  () => {
    let previous = "cpu";
    beforeAll(() => {
      previous = tf.getBackend();
      if (!tf.engine().registeredBackends().includes("native"))
        tf.registerBackend("native", () => createNativeBackend(), 0);
    });
    afterAll(async () => {
      await tf.setBackend(previous);
    });

    for (const c of CASES) {
      it(`${c.why}: x ${c.x.join("×")}, filter ${c.f.join("×")}, conv2d and both gradients`, async () => {
        await tf.setBackend("cpu");
        const want = convAndGrads(c);
        await tf.setBackend("native");
        const got = convAndGrads(c);
        ["y", "dx", "df"].forEach((name, i) => {
          expect(relativeError(got[i]!, want[i]!), name).toBeLessThan(1e-5);
        });
      }, 60_000);
    }

    it("a threaded filter gradient is the same on every run (whichever thread took which chunk)", async () => {
      await tf.setBackend("native");
      const runs = [0, 1, 2, 3].map(() => convAndGrads(CASES[0]!)[2]!);
      for (const run of runs.slice(1)) expect(run).toEqual(runs[0]);
    });

    it("an interrupt raised before a threaded convolution stops it; the backend goes on", async () => {
      await tf.setBackend("native");
      const flag = new Int32Array(new SharedArrayBuffer(4));
      tf.setInterruptFlag(flag);
      tf.setInterruptCheck(() => undefined);
      try {
        const x = tf.ones([32, 28, 28, 32]);
        const f = tf.ones([3, 3, 32, 64]);
        Atomics.store(flag, 0, 1);
        let error: (Error & { code?: string }) | undefined;
        try {
          tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, "same").dispose();
        } catch (e) {
          error = e as Error & { code?: string };
        }
        expect(error?.code).toBe("DEEPTS_INTERRUPTED");
        Atomics.store(flag, 0, 0);
        const y = tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, "same");
        // An inner pixel sums 3·3·32 ones.
        expect(y.slice([31, 10, 10, 63], [1, 1, 1, 1]).dataSync()[0]).toBe(288);
        tf.dispose([x, f, y]);
      } finally {
        tf.setInterruptCheck(undefined);
        tf.setInterruptFlag(undefined);
      }
    });
  },
);
