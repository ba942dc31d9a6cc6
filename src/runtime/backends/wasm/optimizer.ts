/**
 * AdamMoments and AdamStep on the WebAssembly SIMD loops of code/optimizer.ts (float32 throughout;
 * the cpu backend computes in float64 and rounds once). Other dtypes run the cpu loop.
 */
import type { WasmKernel } from "./context.js";

export const adamMoments: WasmKernel<"AdamMoments"> =
  ({ store, wasm }) =>
  ({ inputs: [moments, g], attrs: { beta1, beta2 }, out }) => {
    const mv = store.read(moments);
    const gv = store.read(g);
    const n = gv.length;
    if (mv.length !== 2 * n) throw new Error(`AdamMoments: moments [${moments.shape}] must be [2, ${g.shape}]`);
    const result = store.allocRaw(out);
    wasm.adam_moments(mv.byteOffset, gv.byteOffset, result.byteOffset, n, beta1, beta2);
    return store.write(result, out.shape, out.dtype);
  };

export const adamStep: WasmKernel<"AdamStep"> =
  ({ store, wasm }) =>
  ({ inputs: [w, moments], attrs: { learningRate, beta1Power, beta2Power, epsilon }, out }) => {
    const wv = store.read(w);
    const mv = store.read(moments);
    const n = wv.length;
    if (mv.length !== 2 * n) throw new Error(`AdamStep: moments [${moments.shape}] must be [2, ${w.shape}]`);
    const result = store.allocRaw(out);
    const rate = learningRate / (1 - beta1Power);
    wasm.adam_step(wv.byteOffset, mv.byteOffset, result.byteOffset, n, rate, 1 / (1 - beta2Power), epsilon);
    return store.write(result, out.shape, out.dtype);
  };
