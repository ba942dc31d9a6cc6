/** The evaluation thread's idle collection: when it collects, and that it frees unreachable tensors. */
import { describe, expect, test } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { IdleCollector } from "../../src/kernel/worker/idle-collector.js";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("IdleCollector", () => {
  test("collects once idle after tensor bytes grew (tensor data is outside V8's heap), not while busy", async () => {
    let tracked = 0;
    const collector = new IdleCollector({ delayMs: 20, minGrowthBytes: 1 << 20, trackedBytes: () => tracked });
    collector.busy();
    tracked += 4 << 20;
    await pause(60);
    expect(collector.collections).toBe(0);
    collector.idle();
    collector.busy(); // a request came before the delay ran out
    await pause(60);
    expect(collector.collections).toBe(0);
    collector.idle();
    await pause(80);
    expect(collector.collections).toBe(1);
    // No growth since: idle again does nothing.
    collector.idle();
    await pause(80);
    expect(collector.collections).toBe(1);
  });

  test("a request that grew a lot collects at its end even with more requests queued", () => {
    let tracked = 0;
    const collector = new IdleCollector({ busyGrowthBytes: 8 << 20, trackedBytes: () => tracked });
    tracked += 2 << 20;
    collector.ended();
    expect(collector.collections).toBe(0);
    tracked += 16 << 20;
    collector.ended();
    expect(collector.collections).toBe(1);
  });

  test("tensors no code reaches are freed by the idle collection", async () => {
    const before = tf.memory().numTensors;
    const collector = new IdleCollector({ delayMs: 10, trackedBytes: () => tf.memory().numBytes });
    (() => {
      // As a student's cells: a new 1 MB tensor under the same name each time, never disposed.
      for (let i = 0; i < 10; i++) tf.zeros([512, 512]);
    })();
    expect(tf.memory().numTensors - before).toBeGreaterThanOrEqual(10);
    collector.idle();
    for (let i = 0; i < 50 && tf.memory().numTensors > before; i++) await pause(20);
    expect(collector.collections).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
