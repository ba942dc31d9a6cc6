import { sizeOf } from "../../backend.js";
import type { DataArray } from "../../backend.js";
import type { ReduceKernelName } from "../../kernels.js";
import type { CpuKernel } from "./storage.js";

/** Reduces each of `out.length` rows of `size` consecutive values of `x` into `out[row]`. */
type ReduceLoop = (x: DataArray, size: number, out: DataArray) => void;

const LOOPS: Record<ReduceKernelName, ReduceLoop> = {
  // Sums and products accumulate in float64 before the single rounding into the output.
  Sum: (x, size, out) => {
    for (let row = 0, base = 0; row < out.length; row++, base += size) {
      let acc = 0;
      for (let j = 0; j < size; j++) acc += x[base + j]!;
      out[row] = acc;
    }
  },
  Prod: (x, size, out) => {
    for (let row = 0, base = 0; row < out.length; row++, base += size) {
      let acc = 1;
      for (let j = 0; j < size; j++) acc *= x[base + j]!;
      out[row] = acc;
    }
  },
  // Max and Min propagate NaN (a NaN anywhere in the row gives NaN).
  Max: (x, size, out) => {
    for (let row = 0, base = 0; row < out.length; row++, base += size) {
      let acc = -Infinity;
      for (let j = 0; j < size; j++) {
        const v = x[base + j]!;
        if (v > acc || v !== v) acc = v;
        if (acc !== acc) break;
      }
      out[row] = acc;
    }
  },
  Min: (x, size, out) => {
    for (let row = 0, base = 0; row < out.length; row++, base += size) {
      let acc = Infinity;
      for (let j = 0; j < size; j++) {
        const v = x[base + j]!;
        if (v < acc || v !== v) acc = v;
        if (acc !== acc) break;
      }
      out[row] = acc;
    }
  },
  // Index of the first maximum/minimum; NaNs are skipped unless the whole row is NaN (then 0).
  ArgMax: (x, size, out) => {
    for (let row = 0, base = 0; row < out.length; row++, base += size) {
      let best = 0;
      let bestValue = NaN;
      for (let j = 0; j < size; j++) {
        const v = x[base + j]!;
        if (v > bestValue || (bestValue !== bestValue && v === v)) {
          best = j;
          bestValue = v;
        }
      }
      out[row] = best;
    }
  },
  ArgMin: (x, size, out) => {
    for (let row = 0, base = 0; row < out.length; row++, base += size) {
      let best = 0;
      let bestValue = NaN;
      for (let j = 0; j < size; j++) {
        const v = x[base + j]!;
        if (v < bestValue || (bestValue !== bestValue && v === v)) {
          best = j;
          bestValue = v;
        }
      }
      out[row] = best;
    }
  },
  Any: (x, size, out) => {
    for (let row = 0, base = 0; row < out.length; row++, base += size) {
      let acc = 0;
      for (let j = 0; j < size && acc === 0; j++) if (x[base + j]) acc = 1;
      out[row] = acc;
    }
  },
  All: (x, size, out) => {
    for (let row = 0, base = 0; row < out.length; row++, base += size) {
      let acc = 1;
      for (let j = 0; j < size && acc === 1; j++) if (!x[base + j]) acc = 0;
      out[row] = acc;
    }
  },
};

/** The kernel of reduction `name` over the innermost axis: input `[outer, reduceSize]` (any shape of that size), output `[outer]`. */
export function reduceKernel(name: ReduceKernelName): CpuKernel<ReduceKernelName> {
  const loop = LOOPS[name];
  return (store) =>
    ({ inputs: [x], attrs: { reduceSize }, out }) => {
      const values = store.read(x);
      const outSize = sizeOf(out.shape);
      if (!Number.isInteger(reduceSize) || reduceSize < 0 || values.length !== outSize * reduceSize) {
        throw new Error(
          `${name}: input of ${values.length} values cannot reduce by ${reduceSize} to shape [${out.shape.join(",")}]`,
        );
      }
      const result = store.alloc(out);
      loop(values, reduceSize, result);
      return store.write(result, out.shape, out.dtype);
    };
}
