import type { DataArray, TensorInfo } from "../../backend.js";
import type { CpuKernel } from "./storage.js";

export type Activation = "relu" | "sigmoid" | "tanh";

export const ACTIVATIONS: Record<Activation, (v: number) => number> = {
  relu: (v) => (v < 0 ? 0 : v),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  tanh: Math.tanh,
};

/** Each activation's derivative from its output `y`. */
export const DERIVATIVES: Record<Activation, (y: number) => number> = {
  relu: (y) => (y > 0 ? 1 : 0),
  sigmoid: (y) => y * (1 - y),
  tanh: (y) => 1 - y * y,
};

/** `[steps, batch, units]` of a sequence tensor, checked against the `[units, units]` recurrent kernel. */
export function recurrenceDims(name: string, seq: TensorInfo, u: TensorInfo): [number, number, number] {
  const [steps, batch, units] = seq.shape as [number, number, number];
  if (seq.shape.length !== 3 || u.shape.length !== 2 || u.shape[0] !== units || u.shape[1] !== units) {
    throw new Error(
      `${name}: expects [steps, batch, units] with a [units, units] recurrent kernel, got [${seq.shape}] and [${u.shape}]`,
    );
  }
  return [steps, batch, units];
}

/** `table`'s entry for `activation`; a clear error naming kernel `name` for an unknown one. */
export function pick<T>(table: Record<Activation, T>, name: string, activation: string): T {
  const f = table[activation as Activation];
  if (f === undefined) throw new Error(`${name}: unknown activation '${activation}'`);
  return f;
}

/**
 * RnnForward and RnnBackward: the simple recurrence and its walk back through time, one step after
 * another; products accumulate in float64 and each state is rounded to float32 as it is stored.
 */
export const rnnForward: CpuKernel<"RnnForward"> =
  (store) =>
  ({ inputs: [xw, h0, u], attrs: { activation }, out }) => {
    const [steps, batch, units] = recurrenceDims("RnnForward", xw, u);
    if (h0.shape.length !== 2 || h0.shape[0] !== batch || h0.shape[1] !== units) {
      throw new Error(`RnnForward: h0 [${h0.shape}] must be [${batch}, ${units}]`);
    }
    const f = pick(ACTIVATIONS, "RnnForward", activation);
    const x = store.read(xw);
    const uv = store.read(u);
    const hs = store.alloc(out);
    const acc = new Float64Array(units);
    for (let t = 0; t < steps; t++) {
      const prev: DataArray = t === 0 ? store.read(h0) : hs;
      const prevBase = t === 0 ? 0 : (t - 1) * batch * units;
      for (let b = 0; b < batch; b++) {
        const row = (t * batch + b) * units;
        for (let j = 0; j < units; j++) acc[j] = x[row + j]!;
        for (let k = 0; k < units; k++) {
          const hk = prev[prevBase + b * units + k]!;
          for (let j = 0; j < units; j++) acc[j]! += hk * uv[k * units + j]!;
        }
        for (let j = 0; j < units; j++) hs[row + j] = f(acc[j]!);
      }
    }
    return store.write(hs, out.shape, out.dtype);
  };

export const rnnBackward: CpuKernel<"RnnBackward"> =
  (store) =>
  ({ inputs: [hs, u, dhs], attrs: { activation }, out }) => {
    const [steps, batch, units] = recurrenceDims("RnnBackward", hs, u);
    if (dhs.shape.length !== 3 || dhs.shape.some((d, i) => d !== hs.shape[i])) {
      throw new Error(`RnnBackward: dhs [${dhs.shape}] must match hs [${hs.shape}]`);
    }
    const df = pick(DERIVATIVES, "RnnBackward", activation);
    const h = store.read(hs);
    const d = store.read(dhs);
    const uv = store.read(u);
    const dz = store.alloc(out);
    const acc = new Float64Array(units);
    for (let t = steps - 1; t >= 0; t--) {
      for (let b = 0; b < batch; b++) {
        const row = (t * batch + b) * units;
        for (let j = 0; j < units; j++) acc[j] = d[row + j]!;
        if (t < steps - 1) {
          // + dz_{t+1}·uᵀ: acc[j] += Σ_k dz[k]·u[j, k]
          const next = row + batch * units;
          for (let j = 0; j < units; j++) {
            let s = 0;
            for (let k = 0; k < units; k++) s += dz[next + k]! * uv[j * units + k]!;
            acc[j]! += s;
          }
        }
        for (let j = 0; j < units; j++) dz[row + j] = acc[j]! * df(h[row + j]!);
      }
    }
    return store.write(dz, out.shape, out.dtype);
  };
