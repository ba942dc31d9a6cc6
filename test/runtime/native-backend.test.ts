/**
 * The native backend inside the engine: a small conv net's loss and gradients equal the cpu
 * backend's, memory is accounted and freed, output buffers are reused safely, and only the depthwise
 * kernels fall back to cpu. Without the addon these tests are skipped with the reason in the title
 * (backend-availability.test.ts fails on CI).
 */
import { expect, it } from "vitest";
import { createNativeBackend } from "../../src/runtime/backends/native/index.js";
import * as tf from "../../src/runtime/index.js";
import { forEachBackend } from "./backends.js";

forEachBackend(
  () => {
    /** Loss and gradients of a conv → pool → dense → softmax cross-entropy net on one batch. */
    function step(): { loss: number; grads: Float32Array[] } {
      tf.setSeed(7);
      const x = tf.randomNormal([4, 12, 12, 2]);
      const labels = tf.oneHot(tf.tensor1d([0, 2, 1, 2], "int32"), 3);
      const w1 = tf.randomNormal([3, 3, 2, 5], 0, 0.3);
      const w2 = tf.randomNormal([5 * 6 * 6, 3], 0, 0.1);
      const b2 = tf.zeros([3]);
      const f = (w1: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor) => {
        const h = tf.relu(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 1, "same"));
        const p = tf.maxPool(h as tf.Tensor4D, 2, 2, "valid");
        const logits = tf.add(tf.matMul(tf.reshape(p, [4, -1]), w2), b2);
        return tf.mean(tf.neg(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), -1)));
      };
      const { value, grads } = tf.valueAndGrads(f)([w1, w2, b2]);
      return { loss: value.dataSync()[0]!, grads: grads.map((g) => g.dataSync() as Float32Array) };
    }

    it("trains a small conv net step exactly like cpu (loss and every gradient)", async () => {
      await tf.setBackend("cpu");
      const want = tf.tidy(() => step());
      expect(await tf.setBackend("native")).toBe(true);
      const fallbacksBefore = tf.engine().fallbacks;
      const got = tf.tidy(() => step());
      expect(tf.engine().fallbacks - fallbacksBefore).toBe(0);
      expect(got.loss).toBeCloseTo(want.loss, 4);
      got.grads.forEach((g, i) => {
        const w = want.grads[i]!;
        expect(g.length).toBe(w.length);
        let scale = 0;
        for (const v of w) scale = Math.max(scale, Math.abs(v));
        for (let j = 0; j < w.length; j++) expect(Math.abs(g[j]! - w[j]!)).toBeLessThan(1e-4 * (1 + scale));
      });
    });

    it("reports memory and frees a buffer on dispose", async () => {
      await tf.setBackend("native");
      const backend = tf.backend();
      const before = backend.memory();
      const t = tf.ones([1000]);
      expect(backend.memory().numBytes - before.numBytes).toBe(4000);
      expect(backend.memory().numDataBuffers - before.numDataBuffers).toBe(1);
      t.dispose();
      expect(backend.memory()).toEqual(before);
    });

    it("reuses disposed output buffers without mixing up values, and never recycles a caller's array", () => {
      const backend = createNativeBackend();
      const info = (values: Float32Array, shape: number[]) => ({
        dataId: backend.write(values, shape, "float32"),
        shape,
        dtype: "float32" as const,
      });
      const mine = new Float32Array(2048).fill(3);
      const a = info(mine, [2048]);
      const out = { shape: [2048], dtype: "float32" as const };
      const first = backend.kernels.Neg!({ inputs: [a], attrs: {}, out });
      const firstArray = backend.readSync(first);
      backend.disposeData(first);
      expect(backend.idleBytes()).toBe(8192);
      const second = backend.kernels.Exp!({ inputs: [a], attrs: {}, out });
      expect(backend.readSync(second)).toBe(firstArray); // the same buffer, reused
      expect(backend.readSync(second)[5]).toBeCloseTo(Math.exp(3), 4);
      expect(backend.idleBytes()).toBe(0);
      backend.disposeData(a.dataId);
      const third = backend.kernels.Abs!({ inputs: [info(new Float32Array(2048).fill(-1), [2048])], attrs: {}, out });
      expect(backend.readSync(third)).not.toBe(mine);
      expect(mine[0]).toBe(3);
      backend.dispose!();
    });

    it("recycles the buffers of tensors made from typed arrays and by fill, with the right values", async () => {
      await tf.setBackend("native");
      const backend = tf.backend();
      const stored = (t: tf.Tensor) => backend.readSync(t.dataId);
      const batch = new Float32Array(4096).map((_, i) => i);
      const first = tf.tensor(batch, [4096]);
      const firstArray = stored(first);
      expect(firstArray).not.toBe(batch); // a copy: the caller may change its array
      first.dispose();
      const next = tf.tensor(new Float32Array(4096).fill(5), [4096]);
      expect(stored(next)).toBe(firstArray); // the disposed tensor's buffer, reused
      expect(Array.from(next.dataSync().subarray(0, 3))).toEqual([5, 5, 5]);
      expect(batch[3]).toBe(3);
      next.dispose();
      // A recycled buffer holds old values: zeros and fill still set every element.
      const zeros = tf.zeros([4096]);
      expect(stored(zeros)).toBe(firstArray);
      expect(zeros.dataSync().every((v) => v === 0)).toBe(true);
      zeros.dispose();
      const ones = tf.ones([4096]);
      expect(stored(ones)).toBe(firstArray);
      expect(ones.dataSync().every((v) => v === 1)).toBe(true);
      ones.dispose();
    });

    it("holds a fixed set of buffers over a training loop that makes each batch with tf.tensor", async () => {
      await tf.setBackend("native");
      const backend = tf.backend() as ReturnType<typeof createNativeBackend>;
      tf.setSeed(3);
      const w = tf.variable(tf.randomNormal([64, 4], 0, 0.1));
      const data = new Float32Array(10 * 32 * 64).map((_, i) => Math.sin(i));
      const targets = new Float32Array(32 * 4).fill(0.5);
      const buffers = new Set<unknown>();
      const held: number[] = [];
      for (let step = 0; step < 10; step++) {
        const x = tf.tensor(data.subarray(step * 32 * 64, (step + 1) * 32 * 64), [32, 64]);
        const y = tf.tensor(targets, [32, 4]);
        buffers.add(backend.readSync(x.dataId));
        tf.tidy(() => {
          const { grads } = tf.valueAndGrads((v: tf.Tensor) => tf.mean(tf.square(tf.sub(tf.matMul(x, v), y))))([w]);
          w.assign(tf.sub(w, tf.mul(grads[0]!, 0.1)));
        });
        tf.dispose([x, y]);
        held.push(backend.memory().numBytes + backend.idleBytes());
      }
      // Each step's batch lands in the buffer the step before freed, so the bytes held stop growing.
      expect(buffers.size).toBe(1);
      expect(new Set(held.slice(1)).size).toBe(1);
      w.dispose();
    });

    it("lists only the depthwise convolutions as cpu fallbacks, and runs them correctly", async () => {
      const support = (await tf.backendSupport()).find((s) => s.backend === "native")!;
      expect(support.fallback.sort()).toEqual([
        "DepthwiseConv2D",
        "DepthwiseConv2DBackpropFilter",
        "DepthwiseConv2DBackpropInput",
      ]);
      await tf.setBackend("native");
      const before = tf.engine().fallbackCounts.DepthwiseConv2D ?? 0;
      const y = tf.depthwiseConv2d(
        tf.ones([1, 3, 3, 2]) as tf.Tensor4D,
        tf.ones([2, 2, 2, 1]) as tf.Tensor4D,
        1,
        "valid",
      );
      expect(Array.from(y.dataSync())).toEqual(new Array(8).fill(4));
      expect(tf.engine().fallbackCounts.DepthwiseConv2D).toBe(before + 1);
    });
  },
  { only: ["native"] },
);
