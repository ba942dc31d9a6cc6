import type { KernelFunc } from "../../backend.js";
import type { CpuStore } from "./storage.js";

type Names = "DepthwiseConv2D" | "DepthwiseConv2DBackpropInput" | "DepthwiseConv2DBackpropFilter";

export function depthwiseKernels(store: CpuStore): { [K in Names]: KernelFunc<K> } {
  const todo = (): never => { void store; throw new Error("cpu backend: depthwise kernels are not implemented yet"); };
  return { DepthwiseConv2D: todo, DepthwiseConv2DBackpropInput: todo, DepthwiseConv2DBackpropFilter: todo };
}
