/**
 * Dawn aborts the whole process when a thread is torn down while its GPU work is unsettled. The
 * kernel hard-stops a cell's thread that ignores an interrupt; with webgpu work in flight that must
 * still leave the kernel process running.
 */
import { describe, expect, test } from "vitest";
import { webgpuUnavailable } from "../runtime/backends.js";
import { TestKernel } from "./client.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(webgpuUnavailable !== undefined)(
  `hard stop with webgpu work in flight${webgpuUnavailable ? ` (skipped: ${webgpuUnavailable})` : ""}`,
  () => {
    test("a cell that ignores the interrupt while the device is busy is replaced; the kernel survives", async () => {
      const k = await TestKernel.start({ env: { DEEPTS_INTERRUPT_GRACE_MS: "500" } });
      try {
        const setup = await k.execute(
          "await tf.setBackend('webgpu'); const a = tf.randomNormal([1024, 1024]); await tf.matMul(a, a).data(); tf.getBackend()",
          {},
          120_000,
        );
        expect((setup.outputs.at(-1)!.content.data as Record<string, string>)["text/plain"]).toBe("'webgpu'");
        // Seconds of queued GPU work, then a wait no interrupt check can reach.
        const running = k.execute(
          "let b = a; for (let i = 0; i < 6; i++) b = tf.matMul(b, a); void b.data(); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)",
          {},
          20_000,
        );
        await sleep(700);
        await k.request("control", "interrupt_request");
        const r = await running;
        expect(r.reply.content.ename).toBe("KernelRestarted");
        const after = await k.execute("1 + 1", {}, 60_000);
        expect((after.outputs[0]!.content.data as Record<string, string>)["text/plain"]).toBe("2");
        expect(k.proc.signalCode).toBeNull();
        expect(k.proc.exitCode).toBeNull();
      } finally {
        await k.shutdown();
      }
      expect(k.proc.signalCode).toBeNull();
    }, 200_000);
  },
);
