/**
 * Limits a teacher sets per kernel through environment variables (e.g. in the kernelspec's `env`):
 *
 * | variable              | limits                                                        |
 * | --------------------- | ------------------------------------------------------------- |
 * | `DEEPTS_MEMORY_MB`    | the evaluation thread's JavaScript heap (objects, arrays)     |
 * | `DEEPTS_TENSOR_MB`    | the tensor data alive at once (a clear RangeError past it)    |
 * | `DEEPTS_THREADS`      | the threads one matrix product (OpenBLAS) may use             |
 * | `DEEPTS_CELL_TIMEOUT` | seconds a cell may run before it is interrupted               |
 *
 * ```ts
 * const limits = readLimits({ DEEPTS_TENSOR_MB: "512", DEEPTS_CELL_TIMEOUT: "60" });
 * // { tensorMb: 512, cellTimeoutS: 60, problems: [] }
 * ```
 */
export interface KernelLimits {
  memoryMb?: number;
  tensorMb?: number;
  threads?: number;
  cellTimeoutS?: number;
  /** Variables that were set but not understood (each is ignored, and the kernel says so at start). */
  problems: string[];
}

const VARIABLES = {
  memoryMb: { name: "DEEPTS_MEMORY_MB", min: 64, integer: true, what: "megabytes" },
  tensorMb: { name: "DEEPTS_TENSOR_MB", min: 1, integer: false, what: "megabytes" },
  threads: { name: "DEEPTS_THREADS", min: 1, integer: true, what: "threads" },
  cellTimeoutS: { name: "DEEPTS_CELL_TIMEOUT", min: 0.1, integer: false, what: "seconds" },
} as const;

export function readLimits(env: NodeJS.ProcessEnv = process.env): KernelLimits {
  const limits: KernelLimits = { problems: [] };
  for (const [key, v] of Object.entries(VARIABLES) as [
    keyof typeof VARIABLES,
    (typeof VARIABLES)[keyof typeof VARIABLES],
  ][]) {
    const raw = env[v.name]?.trim();
    if (raw === undefined || raw === "") continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < v.min || (v.integer && !Number.isInteger(n))) {
      limits.problems.push(
        `${v.name}=${JSON.stringify(raw)} is ignored: expected ${v.integer ? "a whole number of" : "a number of"} ${v.what}, at least ${v.min}`,
      );
      continue;
    }
    limits[key] = n;
  }
  return limits;
}

/** The message a cell stopped by `DEEPTS_CELL_TIMEOUT` ends with. */
export function cellTimeoutMessage(seconds: number): string {
  return `The cell was stopped after ${seconds} s: this kernel allows each cell ${seconds} s (DEEPTS_CELL_TIMEOUT, set by whoever installed the kernel). Variables from earlier cells are kept.`;
}
