import type { KernelFunc } from "../../backend.js";
import { recurrenceDims } from "../cpu/recurrent.js";
import type { PooledStore } from "./pool.js";
import type { NativeAddon } from "./addon.js";

const ACTIVATION_CODES = { relu: 0, sigmoid: 1, tanh: 2 } as const;

/**
 * RnnForward and RnnBackward: the whole recurrence in one addon call each way, one sgemm per step
 * plus the activation (or its gradient) in place, instead of several engine ops per step.
 */
export function recurrentKernels(
  store: PooledStore,
  addon: NativeAddon,
): { RnnForward: KernelFunc<"RnnForward">; RnnBackward: KernelFunc<"RnnBackward"> } {
  const f32 = (info: { dataId: object; shape: number[]; dtype: "float32" | "int32" | "bool" }) =>
    store.read(info) as Float32Array;
  const params = new Int32Array(4);
  const setParams = (name: string, activation: string, dims: [number, number, number]) => {
    const code = ACTIVATION_CODES[activation as keyof typeof ACTIVATION_CODES];
    if (code === undefined) throw new Error(`${name}: unknown activation '${activation}'`);
    params[0] = code;
    params.set(dims, 1);
    return params;
  };
  return {
    RnnForward: ({ inputs: [xw, h0, u], attrs: { activation }, out }) => {
      const p = setParams("RnnForward", activation, recurrenceDims("RnnForward", xw, u));
      const result = store.allocRaw(out) as Float32Array;
      addon.rnnForward(p, f32(xw), f32(h0), f32(u), result);
      return store.write(result, out.shape, out.dtype);
    },
    RnnBackward: ({ inputs: [hs, u, dhs], attrs: { activation }, out }) => {
      const p = setParams("RnnBackward", activation, recurrenceDims("RnnBackward", hs, u));
      const result = store.allocRaw(out) as Float32Array;
      addon.rnnBackward(p, f32(hs), f32(u), f32(dhs), result);
      return store.write(result, out.shape, out.dtype);
    },
  };
}
