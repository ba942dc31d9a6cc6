import type { DataArray } from "../../backend.js";
import type { BinaryKernelName } from "../../kernels.js";
import { readBroadcast } from "./broadcasting.js";
import type { CpuKernel } from "./storage.js";

/** Loops over operands already broadcast to the output's length; the output array's type does the dtype conversion. */
type BinaryLoop = (a: DataArray, b: DataArray, out: DataArray) => void;

const LOOPS: Record<BinaryKernelName, BinaryLoop> = {
  Add: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = a[i]! + b[i]!;
  },
  Sub: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = a[i]! - b[i]!;
  },
  Mul: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = a[i]! * b[i]!;
  },
  // Into an int32 output this truncates toward zero; integer floor division is FloorDiv.
  Div: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = a[i]! / b[i]!;
  },
  Pow: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = Math.pow(a[i]!, b[i]!);
  },
  Maximum: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = Math.max(a[i]!, b[i]!);
  },
  Minimum: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = Math.min(a[i]!, b[i]!);
  },
  Mod: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = floorMod(a[i]!, b[i]!);
  },
  FloorDiv: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = Math.floor(a[i]! / b[i]!);
  },
  Equal: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = a[i] === b[i] ? 1 : 0;
  },
  NotEqual: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = a[i] !== b[i] ? 1 : 0;
  },
  Less: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = a[i]! < b[i]! ? 1 : 0;
  },
  LessEqual: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = a[i]! <= b[i]! ? 1 : 0;
  },
  Greater: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = a[i]! > b[i]! ? 1 : 0;
  },
  GreaterEqual: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = a[i]! >= b[i]! ? 1 : 0;
  },
  LogicalAnd: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = a[i] && b[i] ? 1 : 0;
  },
  LogicalOr: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = a[i] || b[i] ? 1 : 0;
  },
  Atan2: (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = Math.atan2(a[i]!, b[i]!);
  },
};

/** Remainder with the sign of the divisor, like Python's `%` and TF's FloorMod: mod(-7, 3) = 2. */
export function floorMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** The kernel of binary function `name`: two inputs broadcast NumPy-style to `out.shape`. */
export function binaryKernel(name: BinaryKernelName): CpuKernel<BinaryKernelName> {
  const loop = LOOPS[name];
  return (store) =>
    ({ inputs: [a, b], out }) => {
      const result = store.alloc(out);
      loop(
        readBroadcast(store, a, out.shape, result.length),
        readBroadcast(store, b, out.shape, result.length),
        result,
      );
      return store.write(result, out.shape, out.dtype);
    };
}
