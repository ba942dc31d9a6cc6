/** The runtime as models see it: one import point for tensors, ops, autograd and variables. */
export * from "../runtime/index.js";
