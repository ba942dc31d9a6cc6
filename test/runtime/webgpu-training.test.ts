/**
 * A small conv net trained on webgpu follows the cpu backend's loss curve, with every kernel on the
 * device and nothing read back but the per-batch losses `fit` reports.
 */
import { afterAll, describe, expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { webgpuUnavailable } from "./backends.js";
import { expectCpuLossCurve, trainSmallConvNet } from "./training-parity.js";

describe.skipIf(webgpuUnavailable !== undefined)(
  `training on webgpu${webgpuUnavailable ? ` (skipped: ${webgpuUnavailable})` : ""}`,
  () => {
    const previous = tf.getBackend();
    afterAll(async () => {
      await tf.setBackend(previous);
    });

    it("follows the cpu backend's loss curve with every kernel on the device", async () => {
      const cpu = await trainSmallConvNet("cpu");
      const webgpu = await trainSmallConvNet("webgpu");
      expect(webgpu.fallbacks).toBe(0);
      expectCpuLossCurve(webgpu, cpu);
    });
  },
);
