import { readBroadcast } from "./broadcasting.js";
import type { CpuKernel } from "./storage.js";

/** `Select`: `cond ? a : b` elementwise, all three broadcast to `out.shape`. */
export const select: CpuKernel<"Select"> =
  (store) =>
  ({ inputs: [cond, a, b], out }) => {
    const result = store.alloc(out);
    const n = result.length;
    const c = readBroadcast(store, cond, out.shape, n);
    const av = readBroadcast(store, a, out.shape, n);
    const bv = readBroadcast(store, b, out.shape, n);
    for (let i = 0; i < n; i++) result[i] = c[i] ? av[i]! : bv[i]!;
    return store.write(result, out.shape, out.dtype);
  };
