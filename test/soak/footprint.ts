/** A kernel's footprint: start to first result, RSS idle and after a training cell, CPU while idle. */
import type { TestKernel } from "../kernel/client.js";
import { cpuSeconds, rssMb } from "./measure.js";

export interface Footprint {
  kernel: string;
  /** From spawning the process to the first cell's execute_result (ms). */
  firstResultMs: number;
  /** RSS after start, before any cell, once the process settled (MB). */
  idleRssMb: number;
  /** RSS after the first cell and after the first training cell (MB). */
  afterFirstCellRssMb: number;
  afterTrainingRssMb: number;
  /** CPU the process used while idle, as a share of one core. */
  idleCpuShare: number;
}

/** How long an idle kernel is watched for CPU use (ms). */
const IDLE_WATCH_MS = 5000;

export async function measureFootprint(
  name: string,
  start: () => Promise<TestKernel>,
  cells: { first: string; training: string },
  settleMs = 3000,
): Promise<Footprint> {
  // The first result is timed on its own kernel: the request goes out as soon as the kernel answers.
  const timed = await start();
  let firstResultMs: number;
  try {
    const { reply } = await timed.execute(cells.first);
    if (reply.content.status !== "ok") throw new Error(`first cell failed: ${String(reply.content.evalue)}`);
    firstResultMs = performance.now() - timed.startedAt;
  } finally {
    await timed.shutdown();
  }
  const kernel = await start();
  try {
    const pid = kernel.proc.pid!;
    await new Promise((r) => setTimeout(r, settleMs));
    const idleRssMb = rssMb(pid);
    const cpu0 = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, IDLE_WATCH_MS));
    const idleCpuShare = (cpuSeconds(pid) - cpu0) / (IDLE_WATCH_MS / 1000);
    await kernel.execute(cells.first);
    const afterFirstCellRssMb = rssMb(pid);
    const { reply } = await kernel.execute(cells.training, {}, 120_000);
    if (reply.content.status !== "ok") throw new Error(`training cell failed: ${String(reply.content.evalue)}`);
    await new Promise((r) => setTimeout(r, 1000));
    return {
      kernel: name,
      firstResultMs,
      idleRssMb,
      afterFirstCellRssMb,
      afterTrainingRssMb: rssMb(pid),
      idleCpuShare,
    };
  } finally {
    await kernel.shutdown();
  }
}

export function footprintTable(rows: Footprint[]): string {
  const head =
    "| kernel | start → first result (ms) | RSS idle after start (MB) | after first cell (MB) | after first training cell (MB) | CPU while idle (% of a core) |";
  const rule = "| --- | ---: | ---: | ---: | ---: | ---: |";
  const lines = rows.map(
    (r) =>
      `| ${r.kernel} | ${r.firstResultMs.toFixed(0)} | ${r.idleRssMb.toFixed(0)} | ${r.afterFirstCellRssMb.toFixed(0)} | ${r.afterTrainingRssMb.toFixed(0)} | ${(100 * r.idleCpuShare).toFixed(2)} |`,
  );
  return [head, rule, ...lines].join("\n");
}
