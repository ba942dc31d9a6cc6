/** Runs one soak: `cells` executions of a cell on a fresh kernel, sampling RSS, tensors and cell time. */
import type { TestKernel } from "../kernel/client.js";
import type { SoakKernel } from "./kernels.js";
import { rssMb, type Sample } from "./measure.js";

async function ok(kernel: TestKernel, code: string, timeoutMs = 120_000): Promise<unknown> {
  const { reply, outputs } = await kernel.execute(code, {}, timeoutMs);
  // The soak only needs the figures: drop what the client collected so it does not grow either.
  kernel.iopub.length = 0;
  if (reply.content.status !== "ok")
    throw new Error(`cell failed: ${String(reply.content.ename)}: ${String(reply.content.evalue)}\n${code}`);
  const result = outputs.find((m) => m.header.msg_type === "execute_result");
  return (result?.content.data as Record<string, unknown> | undefined)?.["text/plain"];
}

export interface SoakOptions {
  cells: number;
  /** Sample every this many cells. */
  every: number;
  /** Idle time before each sample, as a student pauses between cells (ms). */
  pauseMs?: number;
}

export async function soak(kind: SoakKernel, code: string, options: SoakOptions): Promise<Sample[]> {
  const kernel = await kind.start();
  try {
    await ok(kernel, kind.setup);
    const pid = kernel.proc.pid!;
    const samples: Sample[] = [];
    let t = performance.now();
    for (let cell = 1; cell <= options.cells; cell++) {
      await ok(kernel, code);
      if (cell % options.every !== 0) continue;
      const msPerCell = (performance.now() - t) / options.every;
      await new Promise((r) => setTimeout(r, options.pauseMs ?? 500));
      const tensors = Number(await ok(kernel, kind.tensorCount));
      samples.push({ cell, rssMb: rssMb(pid), msPerCell, tensors });
      t = performance.now();
    }
    return samples;
  } finally {
    await kernel.shutdown();
  }
}
