import type { CpuKernel } from "./storage.js";

/** The activations BiasActivation applies, in float64 (rounded once when stored). */
const ACTIVATIONS: Record<string, (v: number) => number> = {
  linear: (v) => v,
  relu: (v) => (v < 0 ? 0 : v),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  tanh: Math.tanh,
};

/** Width of the last axis (the rows these kernels work along). */
function lastDim(shape: readonly number[]): number {
  return shape.length === 0 ? 1 : shape[shape.length - 1]!;
}

/**
 * Activation gradients from the activation's output, and row kernels over the last axis: softmax
 * and cross-entropy with their gradients (float64 inside).
 */
export const biasActivation: CpuKernel<"BiasActivation"> =
  (store) =>
  ({ inputs: [x, bias], attrs: { activation }, out }) => {
    const xv = store.read(x);
    const bv = store.read(bias);
    const c = bv.length;
    if (c !== lastDim(x.shape) || x.shape.length === 0)
      throw new Error(`BiasActivation: bias [${bias.shape}] does not match the last axis of x [${x.shape}]`);
    const y = store.alloc(out);
    const f = ACTIVATIONS[activation];
    if (f === undefined) throw new Error(`BiasActivation: unknown activation '${String(activation)}'`);
    for (let i = 0; i < y.length; i++) y[i] = f(xv[i]! + bv[i % c]!);
    return store.write(y, out.shape, out.dtype);
  };

export const activationGrad: CpuKernel<"ActivationGrad"> =
  (store) =>
  ({ inputs: [y, dy], attrs: { activation }, out }) => {
    const yv = store.read(y);
    const dv = store.read(dy);
    if (yv.length !== dv.length) throw new Error(`ActivationGrad: y [${y.shape}] and dy [${dy.shape}] differ in size`);
    const dx = store.alloc(out);
    const n = dx.length;
    if (activation === "relu") for (let i = 0; i < n; i++) dx[i] = yv[i]! > 0 ? dv[i]! : 0;
    else if (activation === "sigmoid") for (let i = 0; i < n; i++) dx[i] = dv[i]! * yv[i]! * (1 - yv[i]!);
    else if (activation === "tanh") for (let i = 0; i < n; i++) dx[i] = dv[i]! * (1 - yv[i]! * yv[i]!);
    else throw new Error(`ActivationGrad: unknown activation '${String(activation)}'`);
    return store.write(dx, out.shape, out.dtype);
  };

export const softmax: CpuKernel<"Softmax"> =
  (store) =>
  ({ inputs: [x], out }) => {
    const xv = store.read(x);
    const y = store.alloc(out);
    const cols = lastDim(x.shape);
    const e = new Float64Array(cols);
    for (let base = 0; base < xv.length; base += cols) {
      let max = -Infinity;
      for (let j = 0; j < cols; j++) {
        const v = xv[base + j]!;
        if (v > max || Number.isNaN(v)) max = v;
        if (Number.isNaN(v)) break;
      }
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += e[j] = Math.exp(xv[base + j]! - max);
      for (let j = 0; j < cols; j++) y[base + j] = e[j]! / sum;
    }
    return store.write(y, out.shape, out.dtype);
  };

export const softmaxGrad: CpuKernel<"SoftmaxGrad"> =
  (store) =>
  ({ inputs: [y, dy], out }) => {
    const yv = store.read(y);
    const dv = store.read(dy);
    const dx = store.alloc(out);
    const cols = lastDim(y.shape);
    for (let base = 0; base < yv.length; base += cols) {
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += dv[base + j]! * yv[base + j]!;
      for (let j = 0; j < cols; j++) dx[base + j] = yv[base + j]! * (dv[base + j]! - dot);
    }
    return store.write(dx, out.shape, out.dtype);
  };

export const crossEntropy: CpuKernel<"CrossEntropy"> =
  (store) =>
  ({ inputs: [t, p], attrs: { epsilon }, out }) => {
    const tv = store.read(t);
    const pv = store.read(p);
    const loss = store.alloc(out);
    const cols = lastDim(p.shape);
    const top = 1 - epsilon;
    for (let r = 0; r < loss.length; r++) {
      const base = r * cols;
      let total = 0;
      for (let j = 0; j < cols; j++) total += pv[base + j]!;
      let sum = 0;
      for (let j = 0; j < cols; j++)
        sum -= tv[base + j]! * Math.log(Math.min(Math.max(pv[base + j]! / total, epsilon), top));
      loss[r] = sum;
    }
    return store.write(loss, out.shape, out.dtype);
  };

export const crossEntropyGrad: CpuKernel<"CrossEntropyGrad"> =
  (store) =>
  ({ inputs: [t, p, dy], attrs: { epsilon }, out }) => {
    const tv = store.read(t);
    const pv = store.read(p);
    const dv = store.read(dy);
    const dp = store.alloc(out);
    const cols = lastDim(p.shape);
    const top = 1 - epsilon;
    const u = new Float64Array(cols);
    for (let r = 0; r < dv.length; r++) {
      const base = r * cols;
      let total = 0;
      for (let j = 0; j < cols; j++) total += pv[base + j]!;
      // u = d(loss)/d(ratio) where the clip passes the ratio p/Σp through, 0 where it clamps.
      let weighted = 0;
      for (let j = 0; j < cols; j++) {
        const ratio = pv[base + j]! / total;
        u[j] = ratio >= epsilon && ratio <= top ? -tv[base + j]! / ratio : 0;
        weighted += u[j]! * pv[base + j]!;
      }
      for (let j = 0; j < cols; j++) dp[base + j] = dv[r]! * (u[j]! / total - weighted / (total * total));
    }
    return store.write(dp, out.shape, out.dtype);
  };

export const sparseCrossEntropy: CpuKernel<"SparseCrossEntropy"> =
  (store) =>
  ({ inputs: [labels, p], attrs: { epsilon }, out }) => {
    const lv = store.read(labels);
    const pv = store.read(p);
    const loss = store.alloc(out);
    const cols = lastDim(p.shape);
    const top = 1 - epsilon;
    for (let r = 0; r < loss.length; r++) {
      const k = labelClass(lv[r]!, cols);
      if (k < 0) continue;
      const base = r * cols;
      let total = 0;
      for (let j = 0; j < cols; j++) total += pv[base + j]!;
      loss[r] = -Math.log(Math.min(Math.max(pv[base + k]! / total, epsilon), top));
    }
    return store.write(loss, out.shape, out.dtype);
  };

export const sparseCrossEntropyGrad: CpuKernel<"SparseCrossEntropyGrad"> =
  (store) =>
  ({ inputs: [labels, p, dy], attrs: { epsilon }, out }) => {
    const lv = store.read(labels);
    const pv = store.read(p);
    const dv = store.read(dy);
    const dp = store.alloc(out);
    const cols = lastDim(p.shape);
    const top = 1 - epsilon;
    for (let r = 0; r < dv.length; r++) {
      const k = labelClass(lv[r]!, cols);
      if (k < 0) continue;
      const base = r * cols;
      let total = 0;
      for (let j = 0; j < cols; j++) total += pv[base + j]!;
      // CrossEntropyGrad with one target: u is −1/ratio at the label (0 where the clip clamps), 0 elsewhere.
      const ratio = pv[base + k]! / total;
      const u = ratio >= epsilon && ratio <= top ? -1 / ratio : 0;
      const weighted = u * pv[base + k]!;
      for (let j = 0; j < cols; j++) dp[base + j] = dv[r]! * ((j === k ? u : 0) / total - weighted / (total * total));
    }
    return store.write(dp, out.shape, out.dtype);
  };

/** The class a SparseCrossEntropy label selects (`floor(label)`), or −1 for none. */
function labelClass(label: number, classes: number): number {
  return label >= 0 && label < classes ? Math.floor(label) : -1;
}
