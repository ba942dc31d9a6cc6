/**
 * Large products in the native addon run as blocks with an interrupt check between them: blocked
 * results are right (every transpose, row and column blocks), a set flag stops one large matMul
 * within a block and the op throws the host's interrupt error, and the backend works after.
 */
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { createNativeBackend } from "../../src/runtime/backends/native/index.js";
import { nativeMissing } from "./native-harness.js";

/** A few entries of op(a)·op(b) computed in JS, next to the backend's. */
function sampledEntries(
  a: Float32Array,
  b: Float32Array,
  dims: { m: number; n: number; k: number; ta: boolean; tb: boolean },
  c: Float32Array,
): [number, number][] {
  const { m, n, k, ta, tb } = dims;
  const pairs: [number, number][] = [];
  for (let s = 0; s < 64; s++) {
    const i = (s * 7919) % m;
    const j = (s * 104729) % n;
    let sum = 0;
    for (let p = 0; p < k; p++) sum += a[ta ? p * m + i : i * k + p]! * b[tb ? j * k + p : p * n + j]!;
    pairs.push([c[i * n + j]!, sum]);
  }
  return pairs;
}

describe.skipIf(nativeMissing)("native interrupts between blocks of a large product", () => {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  let previous = "cpu";
  beforeAll(async () => {
    previous = tf.getBackend();
    if (!tf.engine().registeredBackends().includes("native"))
      tf.registerBackend("native", () => createNativeBackend(), 0);
    await tf.setBackend("native");
    tf.setInterruptFlag(flag);
    tf.setInterruptCheck(() => {
      if (Atomics.load(flag, 0) !== 0) {
        const e = new Error("Execution interrupted");
        e.name = "InterruptError";
        throw e;
      }
    });
  });
  afterAll(async () => {
    tf.setInterruptCheck(undefined);
    tf.setInterruptFlag(undefined);
    await tf.setBackend(previous);
  });

  // Each is above the blocking threshold (2^31 multiply-adds): by rows when m ≥ n, else by columns.
  const shapes = [
    { m: 1400, n: 1300, k: 1200, ta: false, tb: false },
    { m: 1400, n: 1300, k: 1200, ta: true, tb: false },
    { m: 1400, n: 1300, k: 1200, ta: false, tb: true },
    { m: 300, n: 2900, k: 2600, ta: true, tb: true },
    { m: 300, n: 2900, k: 2600, ta: false, tb: false },
  ];
  for (const dims of shapes) {
    it(`a blocked product is exact: ${JSON.stringify(dims)}`, () => {
      tf.setSeed(3);
      const { m, n, k, ta, tb } = dims;
      const a = tf.randomUniform(ta ? [k, m] : [m, k], -1, 1);
      const b = tf.randomUniform(tb ? [n, k] : [k, n], -1, 1);
      const c = tf.matMul(a, b, ta, tb);
      const pairs = sampledEntries(
        a.dataSync() as Float32Array,
        b.dataSync() as Float32Array,
        dims,
        c.dataSync() as Float32Array,
      );
      for (const [got, want] of pairs) expect(Math.abs(got - want)).toBeLessThan(2e-3 * Math.sqrt(k));
      tf.dispose([a, b, c]);
    }, 60_000);
  }

  it("a set flag stops a large matMul within a block; the op throws the interrupt error; the backend goes on", () => {
    tf.setSeed(1);
    const a = tf.randomUniform([3000, 3000]);
    // Time one full product, then the same product with the flag raised by a thread after 10% of it.
    let t0 = performance.now();
    tf.matMul(a, a).dispose();
    const full = performance.now() - t0;
    const raiser = new Worker(
      "const { workerData: d } = require('node:worker_threads'); setTimeout(() => Atomics.store(new Int32Array(d.buffer), 0, 1), d.after);",
      { eval: true, workerData: { buffer: flag.buffer, after: full * 0.1 } },
    );
    t0 = performance.now();
    let error: Error | undefined;
    try {
      for (let i = 0; i < 3; i++) tf.matMul(a, a).dispose();
    } catch (e) {
      error = e as Error;
    }
    const stopped = performance.now() - t0;
    void raiser.terminate();
    Atomics.store(flag, 0, 0);
    console.log(
      `3000² matMul: ${full.toFixed(0)} ms; flag raised after ${(full * 0.1).toFixed(0)} ms, stopped after ${stopped.toFixed(0)} ms`,
    );
    expect(error?.name).toBe("InterruptError");
    expect(stopped).toBeLessThan(full * 0.1 + full * 0.5);
    const small = tf.matMul(tf.ones([2, 2]), tf.ones([2, 2]));
    expect(Array.from(small.dataSync())).toEqual([2, 2, 2, 2]);
    tf.dispose([a, small]);
  }, 120_000);
});
