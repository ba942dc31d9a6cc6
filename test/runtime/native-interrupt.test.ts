/**
 * Large products in the native addon run as blocks with an interrupt check between them: blocked
 * results are right (every transpose, row and column blocks), the addon reads the flag itself and
 * stops a large matMul (no timing is asserted: the figures are logged), the op throws the host's
 * interrupt error, and the backend works after.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { createNativeBackend } from "../../src/runtime/backends/native/index.js";
import { unavailable } from "./backends.js";

const nativeMissing = unavailable.native;

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

describe.skipIf(nativeMissing !== undefined)(
  `native interrupts between blocks of a large product${nativeMissing ? ` (skipped: ${nativeMissing})` : ""}`,
  () => {
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

    it("the addon itself reads the flag and stops a large matMul at a block boundary; the op throws the interrupt error; the backend goes on", () => {
      tf.setSeed(1);
      const a = tf.randomUniform([3000, 3000]);
      let t0 = performance.now();
      tf.matMul(a, a).dispose();
      const full = performance.now() - t0;
      const throwing = () => {
        if (Atomics.load(flag, 0) !== 0) {
          const e = new Error("Execution interrupted");
          e.name = "InterruptError";
          throw e;
        }
      };
      // With a host check that never throws, only the addon can stop the product: it does, with its own code.
      tf.setInterruptCheck(() => undefined);
      Atomics.store(flag, 0, 1);
      let native: (Error & { code?: string }) | undefined;
      t0 = performance.now();
      try {
        tf.matMul(a, a).dispose();
      } catch (e) {
        native = e as Error & { code?: string };
      }
      const stopped = performance.now() - t0;
      expect(native?.code).toBe("DEEPTS_INTERRUPTED");
      // With the host's check, the same stop surfaces as the host's interrupt error.
      tf.setInterruptCheck(throwing);
      let error: Error | undefined;
      try {
        tf.matMul(a, a).dispose();
      } catch (e) {
        error = e as Error;
      }
      expect(error?.name).toBe("InterruptError");
      Atomics.store(flag, 0, 0);
      console.log(
        `3000² matMul: ${full.toFixed(0)} ms in full; with the flag raised it stopped after ${stopped.toFixed(0)} ms`,
      );
      const small = tf.matMul(tf.ones([2, 2]), tf.ones([2, 2]));
      expect(Array.from(small.dataSync())).toEqual([2, 2, 2, 2]);
      const again = tf.matMul(a, a);
      expect(again.shape).toEqual([3000, 3000]);
      tf.dispose([a, small, again]);
    }, 120_000);
  },
);
