import type { TensorInfo } from "../../backend.js";
import { recurrenceDims } from "../cpu/recurrent.js";
import type { NativeContext, NativeKernel } from "./context.js";
import { ActivationOp } from "./op-codes.js";

const ACTIVATION_CODES: Record<string, ActivationOp> = {
  relu: ActivationOp.Relu,
  sigmoid: ActivationOp.Sigmoid,
  tanh: ActivationOp.Tanh,
};

/*
 * RnnForward and RnnBackward: the whole recurrence in one addon call each way, one sgemm per step
 * plus the activation (or its gradient) in place, instead of several engine ops per step.
 */

export const rnnForward: NativeKernel<"RnnForward"> = ({ store, addon }) => {
  const params = new Int32Array(4);
  return ({ inputs: [xw, h0, u], attrs: { activation }, out }) => {
    setParams(params, "RnnForward", activation, recurrenceDims("RnnForward", xw, u));
    const result = store.allocRaw(out) as Float32Array;
    addon.rnnForward(params, f32(store, xw), f32(store, h0), f32(store, u), result);
    return store.write(result, out.shape, out.dtype);
  };
};

export const rnnBackward: NativeKernel<"RnnBackward"> = ({ store, addon }) => {
  const params = new Int32Array(4);
  return ({ inputs: [hs, u, dhs], attrs: { activation }, out }) => {
    setParams(params, "RnnBackward", activation, recurrenceDims("RnnBackward", hs, u));
    const result = store.allocRaw(out) as Float32Array;
    addon.rnnBackward(params, f32(store, hs), f32(store, u), f32(store, dhs), result);
    return store.write(result, out.shape, out.dtype);
  };
};

/** params: [activation code, steps, batch, units]. */
function setParams(params: Int32Array, name: string, activation: string, dims: [number, number, number]): void {
  const code = ACTIVATION_CODES[activation];
  if (code === undefined) throw new Error(`${name}: unknown activation '${activation}'`);
  params[0] = code;
  params.set(dims, 1);
}

function f32(store: NativeContext["store"], t: TensorInfo): Float32Array {
  return store.read(t) as Float32Array;
}
