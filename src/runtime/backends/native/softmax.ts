import type { KernelFunc, TensorInfo } from "../../backend.js";
import type { PooledStore } from "./pool.js";
import type { NativeAddon } from "./addon.js";

type Names =
  | "BiasActivation"
  | "ActivationGrad"
  | "Softmax"
  | "SoftmaxGrad"
  | "CrossEntropy"
  | "CrossEntropyGrad"
  | "SparseCrossEntropy"
  | "SparseCrossEntropyGrad";

const ACTIVATION_CODES = { relu: 0, sigmoid: 1, tanh: 2 } as const;
const BIAS_ACTIVATION_CODES = { linear: 0, relu: 1, sigmoid: 2, tanh: 3 } as const;

/**
 * Activation gradients (one pass), and softmax and cross-entropy with their gradients: one pass per
 * row over the last axis (`rowwise` in the addon).
 */
export function softmaxKernels(store: PooledStore, addon: NativeAddon): { [K in Names]: KernelFunc<K> } {
  // [op, rows, cols] and [epsilon], reused: kernels run one at a time.
  const p = new Int32Array(3);
  const eps = new Float64Array(1);
  const f32 = (t: TensorInfo) => store.read(t) as Float32Array;
  const run = (
    op: number,
    like: TensorInfo,
    epsilon: number,
    out: { shape: number[]; dtype: "float32" | "int32" | "bool" },
    inputs: TensorInfo[],
  ) => {
    const cols = like.shape.length === 0 ? 1 : like.shape[like.shape.length - 1]!;
    const size = like.shape.reduce((a, b) => a * b, 1);
    p[0] = op;
    p[1] = cols === 0 ? 0 : size / cols;
    p[2] = cols;
    eps[0] = epsilon;
    const result = store.allocRaw(out) as Float32Array;
    addon.rowwise(p, eps, ...inputs.map(f32), result);
    return store.write(result, out.shape, out.dtype);
  };
  const activation = new Int32Array(1);
  const biasActivation = new Int32Array(2);
  return {
    BiasActivation: ({ inputs: [x, bias], attrs, out }) => {
      const code = BIAS_ACTIVATION_CODES[attrs.activation];
      if (code === undefined) throw new Error(`BiasActivation: unknown activation '${String(attrs.activation)}'`);
      biasActivation[0] = code;
      biasActivation[1] = bias.shape.reduce((a, b) => a * b, 1);
      const result = store.allocRaw(out) as Float32Array;
      addon.biasActivation(biasActivation, f32(x), f32(bias), result);
      return store.write(result, out.shape, out.dtype);
    },
    ActivationGrad: ({ inputs: [y, dy], attrs, out }) => {
      activation[0] = ACTIVATION_CODES[attrs.activation];
      if (activation[0] === undefined)
        throw new Error(`ActivationGrad: unknown activation '${String(attrs.activation)}'`);
      const result = store.allocRaw(out) as Float32Array;
      addon.activationGrad(activation, f32(y), f32(dy), result);
      return store.write(result, out.shape, out.dtype);
    },
    Softmax: ({ inputs: [x], out }) => run(0, x, 0, out, [x]),
    SoftmaxGrad: ({ inputs: [y, dy], out }) => run(1, y, 0, out, [y, dy]),
    CrossEntropy: ({ inputs: [t, q], attrs, out }) => run(2, q, attrs.epsilon, out, [t, q]),
    CrossEntropyGrad: ({ inputs: [t, q, dy], attrs, out }) => run(3, q, attrs.epsilon, out, [t, q, dy]),
    SparseCrossEntropy: ({ inputs: [labels, q], attrs, out }) => run(4, q, attrs.epsilon, out, [labels, q]),
    SparseCrossEntropyGrad: ({ inputs: [labels, q, dy], attrs, out }) => run(5, q, attrs.epsilon, out, [labels, q, dy]),
  };
}
