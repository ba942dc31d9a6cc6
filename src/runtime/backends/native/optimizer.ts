import type { KernelFunc } from "../../backend.js";
import type { PooledStore } from "./pool.js";
import type { NativeAddon } from "./addon.js";

/** Fused optimizer updates: one pass over the weights instead of a dozen elementwise kernels. */
export function optimizerKernels(
  store: PooledStore,
  addon: NativeAddon,
): { AdamMoments: KernelFunc<"AdamMoments">; AdamStep: KernelFunc<"AdamStep"> } {
  // Hyperparameters travel as float64 (reused: kernels run one at a time).
  const betas = new Float64Array(2);
  const step = new Float64Array(4);
  return {
    AdamMoments: ({ inputs: [moments, g], attrs, out }) => {
      const result = store.allocRaw(out) as Float32Array;
      betas[0] = attrs.beta1;
      betas[1] = attrs.beta2;
      addon.adamMoments(betas, store.read(moments) as Float32Array, store.read(g) as Float32Array, result);
      return store.write(result, out.shape, out.dtype);
    },
    AdamStep: ({ inputs: [w, moments], attrs, out }) => {
      const result = store.allocRaw(out) as Float32Array;
      step[0] = attrs.learningRate;
      step[1] = attrs.beta1Power;
      step[2] = attrs.beta2Power;
      step[3] = attrs.epsilon;
      addon.adamStep(step, store.read(w) as Float32Array, store.read(moments) as Float32Array, result);
      return store.write(result, out.shape, out.dtype);
    },
  };
}
