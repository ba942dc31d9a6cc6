import type { KernelFunc } from "../../backend.js";
import type { CpuStore } from "./storage.js";

type Names = "MaxPool" | "MaxPoolGrad" | "AvgPool" | "AvgPoolGrad";

export function poolKernels(store: CpuStore): { [K in Names]: KernelFunc<K> } {
  const todo = (): never => { void store; throw new Error("cpu backend: pool kernels are not implemented yet"); };
  return { MaxPool: todo, MaxPoolGrad: todo, AvgPool: todo, AvgPoolGrad: todo };
}
