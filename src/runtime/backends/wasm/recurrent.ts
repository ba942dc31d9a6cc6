/**
 * RnnForward and RnnBackward with each time step's product on the WebAssembly SGEMM (accumulating
 * into the step's rows) and the activation and its derivative in JavaScript, the same functions
 * as the cpu backend's. Steps run one after another (each needs the previous one's states).
 */
import { ACTIVATIONS, DERIVATIVES, pick, recurrenceDims } from "../cpu/recurrent.js";
import type { WasmKernel } from "./context.js";
import { type Gemm, runGemm } from "./matmul.js";

/** `C[batch, units] += A · op(u)` at byte addresses, A and C dense rows of `units`. */
function stepProduct(a: number, u: number, transposeU: boolean, c: number, batch: number, units: number): Gemm {
  return {
    a,
    rsA: units,
    csA: 1,
    b: u,
    rsB: transposeU ? 1 : units,
    csB: transposeU ? units : 1,
    c,
    ldc: units,
    m: batch,
    n: units,
    k: units,
    accumulate: true,
    count: 1,
    aBatch: 0,
    bBatch: 0,
    cBatch: 0,
  };
}

export const rnnForward: WasmKernel<"RnnForward"> =
  ({ store, threads }) =>
  ({ inputs: [xw, h0, u], attrs: { activation }, out }) => {
    const [steps, batch, units] = recurrenceDims("RnnForward", xw, u);
    if (h0.shape.length !== 2 || h0.shape[0] !== batch || h0.shape[1] !== units) {
      throw new Error(`RnnForward: h0 [${h0.shape}] must be [${batch}, ${units}]`);
    }
    const f = pick(ACTIVATIONS, "RnnForward", activation);
    const hs = store.allocRaw(out);
    hs.set(store.read(xw));
    const stepBytes = batch * units * 4;
    const uAddress = store.read(u).byteOffset;
    for (let t = 0; t < steps; t++) {
      const prev = t === 0 ? store.read(h0).byteOffset : hs.byteOffset + (t - 1) * stepBytes;
      if (units > 0 && batch > 0)
        runGemm(threads, stepProduct(prev, uAddress, false, hs.byteOffset + t * stepBytes, batch, units));
      const end = (t + 1) * batch * units;
      for (let i = t * batch * units; i < end; i++) hs[i] = f(hs[i]!);
    }
    return store.write(hs, out.shape, out.dtype);
  };

export const rnnBackward: WasmKernel<"RnnBackward"> =
  ({ store, threads }) =>
  ({ inputs: [hs, u, dhs], attrs: { activation }, out }) => {
    const [steps, batch, units] = recurrenceDims("RnnBackward", hs, u);
    if (dhs.shape.length !== 3 || dhs.shape.some((d, i) => d !== hs.shape[i])) {
      throw new Error(`RnnBackward: dhs [${dhs.shape}] must match hs [${hs.shape}]`);
    }
    const df = pick(DERIVATIVES, "RnnBackward", activation);
    const h = store.read(hs);
    const dz = store.allocRaw(out);
    dz.set(store.read(dhs));
    const stepBytes = batch * units * 4;
    const uAddress = store.read(u).byteOffset;
    for (let t = steps - 1; t >= 0; t--) {
      // dz_t = df(h_t) · (dhs_t + dz_{t+1}·uᵀ)
      const row = dz.byteOffset + t * stepBytes;
      if (t < steps - 1 && units > 0 && batch > 0)
        runGemm(threads, stepProduct(row + stepBytes, uAddress, true, row, batch, units));
      const end = (t + 1) * batch * units;
      for (let i = t * batch * units; i < end; i++) dz[i] = dz[i]! * df(h[i]!);
    }
    return store.write(dz, out.shape, out.dtype);
  };
