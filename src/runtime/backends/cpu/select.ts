import type { KernelFunc } from "../../backend.js";
import { readBroadcast } from "./broadcasting.js";
import type { CpuStore } from "./storage.js";

/** `Select`: `cond ? a : b` elementwise, all three broadcast to `out.shape`. */
export function selectKernels(store: CpuStore): { Select: KernelFunc<"Select"> } {
  return {
    Select: ({ inputs: [cond, a, b], out }) => {
      const result = store.alloc(out);
      const n = result.length;
      const c = readBroadcast(store, cond, out.shape, n);
      const av = readBroadcast(store, a, out.shape, n);
      const bv = readBroadcast(store, b, out.shape, n);
      for (let i = 0; i < n; i++) result[i] = c[i] ? av[i]! : bv[i]!;
      return store.write(result, out.shape, out.dtype);
    },
  };
}
