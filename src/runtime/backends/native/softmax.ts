import type { DataId, DType, TensorInfo } from "../../backend.js";
import type { NativeContext, NativeKernel } from "./context.js";
import { ActivationOp, BiasActivationOp, RowOp } from "./op-codes.js";

const ACTIVATION_CODES: Record<string, ActivationOp> = {
  relu: ActivationOp.Relu,
  sigmoid: ActivationOp.Sigmoid,
  tanh: ActivationOp.Tanh,
};
const BIAS_ACTIVATION_CODES: Record<string, BiasActivationOp> = {
  linear: BiasActivationOp.Linear,
  relu: BiasActivationOp.Relu,
  sigmoid: BiasActivationOp.Sigmoid,
  tanh: BiasActivationOp.Tanh,
};

/*
 * Activation gradients (one pass), and softmax and cross-entropy with their gradients: one pass per
 * row over the last axis (`rowwise` in the addon).
 */

export const biasActivation: NativeKernel<"BiasActivation"> = ({ store, addon }) => {
  const params = new Int32Array(2); // [op, channels], reused: kernels run one at a time
  return ({ inputs: [x, bias], attrs, out }) => {
    const code = BIAS_ACTIVATION_CODES[attrs.activation];
    if (code === undefined) throw new Error(`BiasActivation: unknown activation '${String(attrs.activation)}'`);
    params[0] = code;
    params[1] = bias.shape.reduce((a, b) => a * b, 1);
    const result = store.allocRaw(out) as Float32Array;
    addon.biasActivation(params, f32(store, x), f32(store, bias), result);
    return store.write(result, out.shape, out.dtype);
  };
};

export const activationGrad: NativeKernel<"ActivationGrad"> = ({ store, addon }) => {
  const params = new Int32Array(1); // [op]
  return ({ inputs: [y, dy], attrs, out }) => {
    const code = ACTIVATION_CODES[attrs.activation];
    if (code === undefined) throw new Error(`ActivationGrad: unknown activation '${String(attrs.activation)}'`);
    params[0] = code;
    const result = store.allocRaw(out) as Float32Array;
    addon.activationGrad(params, f32(store, y), f32(store, dy), result);
    return store.write(result, out.shape, out.dtype);
  };
};

export const softmax: NativeKernel<"Softmax"> = (ctx) => {
  const run = rowwise(ctx, RowOp.Softmax);
  return ({ inputs: [x], out }) => run(x, 0, out, [x]);
};

export const softmaxGrad: NativeKernel<"SoftmaxGrad"> = (ctx) => {
  const run = rowwise(ctx, RowOp.SoftmaxGrad);
  return ({ inputs: [y, dy], out }) => run(y, 0, out, [y, dy]);
};

export const crossEntropy: NativeKernel<"CrossEntropy"> = (ctx) => {
  const run = rowwise(ctx, RowOp.CrossEntropy);
  return ({ inputs: [t, q], attrs, out }) => run(q, attrs.epsilon, out, [t, q]);
};

export const crossEntropyGrad: NativeKernel<"CrossEntropyGrad"> = (ctx) => {
  const run = rowwise(ctx, RowOp.CrossEntropyGrad);
  return ({ inputs: [t, q, dy], attrs, out }) => run(q, attrs.epsilon, out, [t, q, dy]);
};

export const sparseCrossEntropy: NativeKernel<"SparseCrossEntropy"> = (ctx) => {
  const run = rowwise(ctx, RowOp.SparseCrossEntropy);
  return ({ inputs: [labels, q], attrs, out }) => run(q, attrs.epsilon, out, [labels, q]);
};

export const sparseCrossEntropyGrad: NativeKernel<"SparseCrossEntropyGrad"> = (ctx) => {
  const run = rowwise(ctx, RowOp.SparseCrossEntropyGrad);
  return ({ inputs: [labels, q, dy], attrs, out }) => run(q, attrs.epsilon, out, [labels, q, dy]);
};

function f32(store: NativeContext["store"], t: TensorInfo): Float32Array {
  return store.read(t) as Float32Array;
}

/**
 * Runs row kernel `op` of the addon's `rowwise` over the rows of the last axis of `like`'s shape,
 * on `inputs`, into a new output.
 */
function rowwise(
  { store, addon }: NativeContext,
  op: RowOp,
): (like: TensorInfo, epsilon: number, out: { shape: number[]; dtype: DType }, inputs: TensorInfo[]) => DataId {
  // [op, rows, cols] and [epsilon], reused: kernels run one at a time.
  const p = Int32Array.of(op, 0, 0);
  const eps = new Float64Array(1);
  return (like, epsilon, out, inputs) => {
    const cols = like.shape.length === 0 ? 1 : like.shape[like.shape.length - 1]!;
    const size = like.shape.reduce((a, b) => a * b, 1);
    p[1] = cols === 0 ? 0 : size / cols;
    p[2] = cols;
    eps[0] = epsilon;
    const result = store.allocRaw(out) as Float32Array;
    addon.rowwise(p, eps, ...inputs.map((t) => f32(store, t)), result);
    return store.write(result, out.shape, out.dtype);
  };
}
