import type { KernelFunc } from "../../backend.js";
import type { PooledStore } from "./pool.js";
import type { NativeAddon } from "./addon.js";

/** Fused optimizer updates: one pass over the weights instead of a dozen elementwise kernels. */
export function optimizerKernels(
  store: PooledStore,
  addon: NativeAddon,
): { AdamMoments: KernelFunc<"AdamMoments">; AdamStep: KernelFunc<"AdamStep"> } {
  // The pass and its hyperparameters, as float64 (reused: kernels run one at a time).
  const betas = new Float64Array(3);
  const step = Float64Array.of(1, 0, 0, 0, 0);
  return {
    AdamMoments: ({ inputs: [moments, g], attrs, out }) => {
      const result = store.allocRaw(out) as Float32Array;
      betas[1] = attrs.beta1;
      betas[2] = attrs.beta2;
      addon.adam(betas, store.read(moments) as Float32Array, store.read(g) as Float32Array, result);
      return store.write(result, out.shape, out.dtype);
    },
    AdamStep: ({ inputs: [w, moments], attrs, out }) => {
      const result = store.allocRaw(out) as Float32Array;
      step[1] = attrs.learningRate;
      step[2] = attrs.beta1Power;
      step[3] = attrs.beta2Power;
      step[4] = attrs.epsilon;
      addon.adam(step, store.read(w) as Float32Array, store.read(moments) as Float32Array, result);
      return store.write(result, out.shape, out.dtype);
    },
  };
}
