import type { CpuKernel } from "./storage.js";

/**
 * `Cast` to `attrs.dtype`: to bool is `v != 0` (NaN → true); float → int32 truncates toward zero
 * (values outside int32's range are undefined by the contract: here they wrap, NaN → 0);
 * int32/bool → float32 is exact up to 2^24.
 */
export const cast: CpuKernel<"Cast"> =
  (store) =>
  ({ inputs: [x], attrs, out }) => {
    if (attrs.dtype !== out.dtype) {
      throw new Error(`Cast: attrs.dtype '${attrs.dtype}' differs from out.dtype '${out.dtype}'`);
    }
    const values = store.read(x);
    const result = store.alloc(out);
    if (out.dtype === "bool") {
      for (let i = 0; i < values.length; i++) result[i] = values[i] !== 0 ? 1 : 0;
    } else if (out.dtype === "int32") {
      // Storing into an Int32Array applies ToInt32, which truncates toward zero.
      for (let i = 0; i < values.length; i++) result[i] = values[i]!;
    } else {
      result.set(values);
    }
    return store.write(result, out.shape, out.dtype);
  };
