/**
 * Dawn aborts the whole process when a thread is torn down while its GPU work is unsettled. A cell
 * that ignores an interrupt is stopped forcibly (V8's TerminateExecution: its thread stays); with
 * webgpu work in flight that must leave the kernel process running, the cell's variables in place
 * and the webgpu backend usable.
 */
import { describe, expect, test } from "vitest";
import { webgpuUnavailable } from "../runtime/backends.js";
import { TestKernel } from "./client.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const plain = (r: Awaited<ReturnType<TestKernel["execute"]>>) =>
  (r.outputs.find((m) => m.header.msg_type === "execute_result")?.content.data as Record<string, string> | undefined)?.[
    "text/plain"
  ];

describe.skipIf(webgpuUnavailable !== undefined)(
  `forced stop with webgpu work in flight${webgpuUnavailable ? ` (skipped: ${webgpuUnavailable})` : ""}`,
  () => {
    test("a cell that ignores the interrupt while the device is busy is stopped where it is; variables, backend and kernel survive", async () => {
      const k = await TestKernel.start({ env: { DEEPTS_INTERRUPT_GRACE_MS: "500" } });
      try {
        const setup = await k.execute(
          "await tf.setBackend('webgpu'); const a = tf.randomNormal([1024, 1024]); await tf.matMul(a, a).data(); tf.getBackend()",
          {},
          120_000,
        );
        expect(plain(setup)).toBe("'webgpu'");
        // Seconds of queued GPU work, then a wait no interrupt check can reach.
        const running = k.execute(
          "let b = a; for (let i = 0; i < 6; i++) b = tf.matMul(b, a); void b.data(); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)",
          {},
          60_000,
        );
        await sleep(700);
        await k.request("control", "interrupt_request");
        const r = await running;
        expect(r.reply.content.ename).toBe("InterruptError");
        expect(r.reply.content.evalue).toMatch(/stopped where it was\. Your variables are kept/);
        // `a` and `b` (declared by the stopped cell before the wait) are still there, on webgpu.
        const after = await k.execute("[tf.getBackend(), a.shape.join('x'), b.shape.join('x')].join(' ')", {}, 60_000);
        expect(plain(after)).toBe("'webgpu 1024x1024 1024x1024'");
        const again = await k.execute(
          "(await tf.matMul(a, tf.eye(1024)).sub(a).abs().max().data())[0] < 1e-3",
          {},
          120_000,
        );
        expect(plain(again)).toBe("true");
        expect(k.proc.signalCode).toBeNull();
        expect(k.proc.exitCode).toBeNull();
      } finally {
        await k.shutdown();
      }
      expect(k.proc.signalCode).toBeNull();
    }, 300_000);
  },
);
