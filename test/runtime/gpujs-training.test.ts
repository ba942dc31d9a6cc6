import { afterAll, describe, expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { expectCpuLossCurve, trainSmallConvNet } from "./training-parity.js";

describe("training on the gpujs webasm backend", () => {
  const previous = tf.getBackend();
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  it("follows the cpu backend's loss curve with every kernel on webasm", async () => {
    const cpu = await trainSmallConvNet("cpu");
    const webasm = await trainSmallConvNet("webasm");
    expectCpuLossCurve(webasm, cpu);
    expect(webasm.fallbacks).toBe(0);
    const support = (await tf.backendSupport()).find((b) => b.backend === "webasm");
    expect(support?.fallback).toEqual([]);
  });
});
