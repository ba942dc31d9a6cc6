import type { CpuKernel } from "./storage.js";

/** Optimizer updates (the reference for the fused kernels of the faster backends), in float64, rounded once. */
export const adamMoments: CpuKernel<"AdamMoments"> =
  (store) =>
  ({ inputs: [moments, g], attrs: { beta1, beta2 }, out }) => {
    const mv = store.read(moments);
    const gv = store.read(g);
    const n = gv.length;
    if (mv.length !== 2 * n) throw new Error(`AdamMoments: moments [${moments.shape}] must be [2, ${g.shape}]`);
    const result = store.alloc(out);
    for (let i = 0; i < n; i++) {
      const gi = gv[i]!;
      result[i] = beta1 * mv[i]! + (1 - beta1) * gi;
      result[n + i] = beta2 * mv[n + i]! + (1 - beta2) * gi * gi;
    }
    return store.write(result, out.shape, out.dtype);
  };

export const adamStep: CpuKernel<"AdamStep"> =
  (store) =>
  ({ inputs: [w, moments], attrs: { learningRate, beta1Power, beta2Power, epsilon }, out }) => {
    const wv = store.read(w);
    const mv = store.read(moments);
    const n = wv.length;
    if (mv.length !== 2 * n) throw new Error(`AdamStep: moments [${moments.shape}] must be [2, ${w.shape}]`);
    const result = store.alloc(out);
    for (let i = 0; i < n; i++) {
      const mHat = mv[i]! / (1 - beta1Power);
      const vHat = mv[n + i]! / (1 - beta2Power);
      result[i] = wv[i]! - (learningRate * mHat) / (Math.sqrt(vHat) + epsilon);
    }
    return store.write(result, out.shape, out.dtype);
  };
