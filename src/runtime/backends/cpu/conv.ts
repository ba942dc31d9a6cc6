import type { KernelFunc } from "../../backend.js";
import type { CpuStore } from "./storage.js";

type Names = "Conv2D" | "Conv2DBackpropInput" | "Conv2DBackpropFilter";

export function convKernels(store: CpuStore): { [K in Names]: KernelFunc<K> } {
  const todo = (): never => { void store; throw new Error("cpu backend: conv kernels are not implemented yet"); };
  return { Conv2D: todo, Conv2DBackpropInput: todo, Conv2DBackpropFilter: todo };
}
