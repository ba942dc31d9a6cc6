import type { NativeKernel } from "./context.js";
import { AdamPass } from "./op-codes.js";

/* Fused optimizer updates: one pass over the weights instead of a dozen elementwise kernels. */

export const adamMoments: NativeKernel<"AdamMoments"> = ({ store, addon }) => {
  const hyper = Float64Array.of(AdamPass.Moments, 0, 0); // [pass, beta1, beta2], reused: kernels run one at a time
  return ({ inputs: [moments, g], attrs, out }) => {
    const result = store.allocRaw(out) as Float32Array;
    hyper[1] = attrs.beta1;
    hyper[2] = attrs.beta2;
    addon.adam(hyper, store.read(moments) as Float32Array, store.read(g) as Float32Array, result);
    return store.write(result, out.shape, out.dtype);
  };
};

export const adamStep: NativeKernel<"AdamStep"> = ({ store, addon }) => {
  const hyper = Float64Array.of(AdamPass.Step, 0, 0, 0, 0); // [pass, learningRate, beta1Power, beta2Power, epsilon]
  return ({ inputs: [w, moments], attrs, out }) => {
    const result = store.allocRaw(out) as Float32Array;
    hyper[1] = attrs.learningRate;
    hyper[2] = attrs.beta1Power;
    hyper[3] = attrs.beta2Power;
    hyper[4] = attrs.epsilon;
    addon.adam(hyper, store.read(w) as Float32Array, store.read(moments) as Float32Array, result);
    return store.write(result, out.shape, out.dtype);
  };
};
