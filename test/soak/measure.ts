/** Process measurements from /proc (Linux) and the figures a soak reports. */
import { readFileSync } from "node:fs";

/** Resident set size of a process, in MB. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) / 1024;
}

/** CPU time (user + system) a process used so far, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields after the command: state is [0], utime [11], stime [12] (clock ticks, 100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface Sample {
  cell: number;
  rssMb: number;
  /** Mean wall time per cell since the previous sample (ms). */
  msPerCell: number;
  /** Live tensors the kernel reports (deepts: tf.memory(); PyTorch: torch tensors the gc tracks). */
  tensors: number;
}

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export interface SoakFigures {
  kernel: string;
  cells: number;
  /** RSS after warm-up and at the end (MB). */
  rssAfterWarmUp: number;
  rssEnd: number;
  /** RSS growth per 100 cells after warm-up (MB, least squares over the samples). */
  growthPer100: number;
  /** Largest live-tensor count seen after warm-up, and at the end. */
  maxTensors: number;
  endTensors: number;
  /** Mean ms per cell in the first and last sampled block after warm-up. */
  msPerCellFirst: number;
  msPerCellLast: number;
}

/** Figures over the samples from `warmUpCells` on. */
export function summarise(kernel: string, samples: Sample[], warmUpCells: number): SoakFigures {
  const after = samples.filter((s) => s.cell >= warmUpCells);
  if (after.length < 2) throw new Error(`too few samples after warm-up (${after.length})`);
  const last = after[after.length - 1]!;
  return {
    kernel,
    cells: last.cell,
    rssAfterWarmUp: after[0]!.rssMb,
    rssEnd: last.rssMb,
    growthPer100:
      100 *
      slope(
        after.map((s) => s.cell),
        after.map((s) => s.rssMb),
      ),
    maxTensors: Math.max(...after.map((s) => s.tensors)),
    endTensors: last.tensors,
    msPerCellFirst: after[1]!.msPerCell,
    msPerCellLast: last.msPerCell,
  };
}

/** A markdown table of soak figures, one row per kernel. */
export function soakTable(title: string, rows: SoakFigures[]): string {
  const head = `| ${title} | cells | RSS after warm-up (MB) | RSS at end (MB) | growth / 100 cells (MB) | live tensors (max / end) | ms per cell (first / last block) |`;
  const rule = "| --- | ---: | ---: | ---: | ---: | ---: | ---: |";
  const lines = rows.map(
    (r) =>
      `| ${r.kernel} | ${r.cells} | ${r.rssAfterWarmUp.toFixed(0)} | ${r.rssEnd.toFixed(0)} | ${r.growthPer100.toFixed(1)} | ${r.maxTensors} / ${r.endTensors} | ${r.msPerCellFirst.toFixed(0)} / ${r.msPerCellLast.toFixed(0)} |`,
  );
  return [head, rule, ...lines].join("\n");
}
