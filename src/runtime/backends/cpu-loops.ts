/**
 * Kernel-table entries for backends whose storage the cpu backend's loops can run on (plain typed
 * arrays: `native`, `wasm`): a kernel of the backend's own where it takes the inputs, otherwise the
 * cpu loop on the same storage, with no copies and the same results as the cpu backend.
 *
 * @example
 * const TABLE: KernelMakers<MyContext> = {
 *   BatchMatMul: float32OrCpuLoop("BatchMatMul", myMatMul), // float32 in my code, other dtypes as cpu loops
 *   Gather: cpuLoop("Gather"),
 * };
 */
import type { DataId, DType, KernelMaker, KernelTable, TensorInfo } from "../backend.js";
import type { KernelArgs, KernelName } from "../kernels.js";

/** What such a backend gives its kernels: the cpu backend's kernels bound to its storage. */
export interface CpuLoopsContext {
  readonly cpu: KernelTable;
}

/** A kernel that returns undefined for inputs it does not take (a dtype, too many axes …). */
export type DecliningKernel<K extends KernelName, C> = (ctx: C) => (args: KernelArgs<K>) => DataId | undefined;

/** `kernel` where it takes the inputs, else the cpu loop of `name` on the same storage. */
export function orCpuLoop<K extends KernelName, C extends CpuLoopsContext>(
  name: K,
  kernel: DecliningKernel<K, C>,
): KernelMaker<K, C> {
  return (ctx) => {
    const run = kernel(ctx);
    const loop = ctx.cpu[name];
    return (args) => run(args) ?? loop(args);
  };
}

/** `kernel` when every input and the output are float32, else the cpu loop of `name` on the same storage. */
export function float32OrCpuLoop<K extends KernelName, C extends CpuLoopsContext>(
  name: K,
  kernel: KernelMaker<K, C>,
): KernelMaker<K, C> {
  return (ctx) => {
    const run = kernel(ctx);
    const loop = ctx.cpu[name];
    return (args) => (allFloat32(args) ? run(args) : loop(args));
  };
}

/** Makers made by `cpuLoop`, so that `cpuLoopNames` can tell them from a backend's own kernels. */
const CPU_LOOP_MAKERS = new WeakSet<object>();

/** The cpu loop of `name` on the backend's storage. */
export function cpuLoop<K extends KernelName, C extends CpuLoopsContext>(name: K): KernelMaker<K, C> {
  const maker: KernelMaker<K, C> = (ctx) => ctx.cpu[name];
  CPU_LOOP_MAKERS.add(maker);
  return maker;
}

/** The kernels of `makers` that are plain cpu loops (`cpuLoop`), for `Backend.cpuLoops`. */
export function cpuLoopNames(makers: Partial<Record<KernelName, unknown>>): KernelName[] {
  return (Object.keys(makers) as KernelName[]).filter((name) => {
    const maker = makers[name];
    return typeof maker === "function" && CPU_LOOP_MAKERS.has(maker);
  });
}

/** Whether every input and the output are float32. */
export function allFloat32(args: { inputs: readonly TensorInfo[]; out: { dtype: DType } }): boolean {
  if (args.out.dtype !== "float32") return false;
  for (const t of args.inputs) if (t.dtype !== "float32") return false;
  return true;
}
