/**
 * The primitive kernels, one declaration each: the name, the inputs (as a named tuple) and the
 * attributes. This object is the one list of kernels: `KernelName`, `ALL_KERNELS` and every typed
 * kernel signature come from it.
 *
 * Public ops (src/runtime/ops) validate arguments, compute the output shape and dtype, and ask the
 * engine to run one of these kernels; everything else a user sees (losses, elu, clip …) is composed
 * from them. The cpu backend implements every kernel (its table is complete, so a kernel declared
 * here without a reference implementation does not compile); another backend implements what it
 * can, and the engine runs the rest on cpu, counted in `tf.engine().fallbacks` and listed by
 * `tf.backendSupport()`. ARCHITECTURE.md, "Where to add …", walks through adding one.
 *
 * Conventions shared by all backends:
 * - A kernel receives its inputs as `TensorInfo`s living on its own backend, the attributes, and
 *   the output's `shape` and `dtype` (already computed by the op); it returns the output's `DataId`.
 *   Data is row-major.
 * - Binary kernels and `Select` broadcast NumPy-style; the op passes the broadcast output shape.
 * - Reductions run over the innermost axis only: the op transposes/reshapes the input to
 *   `[outer, reduceSize]` and the kernel writes `[outer]`.
 * - Images are NHWC; conv filters are HWIO `[fh, fw, inC, outC]`; depthwise filters
 *   `[fh, fw, inC, multiplier]`. Padding is explicit (the op resolves 'same'/'valid').
 * - `bool` data is stored as Uint8Array of 0/1; `int32` as Int32Array; `float32` as Float32Array.
 */
import type { DType, TensorInfo } from "./tensor-data.js";

export interface Padding2D {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export interface Conv2DAttrs {
  strides: [number, number];
  pad: Padding2D;
  dilations: [number, number];
}

export interface Pool2DAttrs {
  filterSize: [number, number];
  strides: [number, number];
  pad: Padding2D;
}

/** Elementwise functions of one input; output shape equals input shape. */
export const UNARY_KERNELS = [
  "Neg",
  "Abs",
  "Exp",
  "Expm1",
  "Log",
  "Log1p",
  "Sqrt",
  "Rsqrt",
  "Square",
  "Reciprocal",
  "Sign",
  "Floor",
  "Ceil",
  "Round",
  "Sin",
  "Cos",
  "Sigmoid",
  "Tanh",
  "Relu",
  "Softplus",
  "LogicalNot",
  "IsNaN",
  "Erf",
] as const;
export type UnaryKernelName = (typeof UNARY_KERNELS)[number];

/** Elementwise functions of two broadcast inputs. */
export const BINARY_KERNELS = [
  "Add",
  "Sub",
  "Mul",
  "Div",
  "Pow",
  "Maximum",
  "Minimum",
  "Mod",
  "FloorDiv",
  "Equal",
  "NotEqual",
  "Less",
  "LessEqual",
  "Greater",
  "GreaterEqual",
  "LogicalAnd",
  "LogicalOr",
  "Atan2",
] as const;
export type BinaryKernelName = (typeof BINARY_KERNELS)[number];

/** Reductions over the innermost axis of a `[outer, reduceSize]` input. ArgMax/ArgMin give int32. */
export const REDUCE_KERNELS = ["Sum", "Prod", "Max", "Min", "ArgMax", "ArgMin", "Any", "All"] as const;
export type ReduceKernelName = (typeof REDUCE_KERNELS)[number];

type Unary = { inputs: [x: TensorInfo]; attrs: Record<string, never> };
type Binary = { inputs: [a: TensorInfo, b: TensorInfo]; attrs: Record<string, never> };
type Reduce = { inputs: [x: TensorInfo]; attrs: { reduceSize: number } };

/** What a kernel takes besides the output's shape and dtype. */
interface KernelSpec {
  inputs: TensorInfo[];
  attrs: object;
}

/**
 * A kernel's declaration: at run time an empty marker (only its name, the key, is read); its type
 * carries the signature `S`.
 */
export interface KernelDeclaration<S extends KernelSpec> {
  /** Never set: the signature, for the type checker. */
  readonly signature?: S;
}

function kernel<S extends KernelSpec>(): KernelDeclaration<S> {
  return {};
}

/** One declaration of signature `S` for each name of a kernel family. */
function family<N extends string, S extends KernelSpec>(names: readonly N[]): Record<N, KernelDeclaration<S>> {
  return Object.fromEntries(names.map((name) => [name, kernel<S>()])) as Record<N, KernelDeclaration<S>>;
}

/** Every kernel, by name. */
export const KERNELS = {
  ...family<UnaryKernelName, Unary>(UNARY_KERNELS),
  ...family<BinaryKernelName, Binary>(BINARY_KERNELS),
  ...family<ReduceKernelName, Reduce>(REDUCE_KERNELS),
  /** Converts dtype (float→int truncates toward zero; anything→bool is `!= 0`). */
  Cast: kernel<{ inputs: [x: TensorInfo]; attrs: { dtype: DType } }>(),
  /** `cond ? a : b`, all three broadcast to the output shape. */
  Select: kernel<{ inputs: [cond: TensorInfo, a: TensorInfo, b: TensorInfo]; attrs: Record<string, never> }>(),
  Transpose: kernel<{ inputs: [x: TensorInfo]; attrs: { perm: number[] } }>(),
  /** Contiguous slice: `size[i]` elements from `begin[i]` on each axis. */
  Slice: kernel<{ inputs: [x: TensorInfo]; attrs: { begin: number[]; size: number[] } }>(),
  /** Joins inputs along `axis` (all ranks equal, other dims equal). */
  Concat: kernel<{ inputs: TensorInfo[]; attrs: { axis: number } }>(),
  /** `paddings[i] = [before, after]` for each axis, filled with `constantValue`. */
  Pad: kernel<{ inputs: [x: TensorInfo]; attrs: { paddings: [number, number][]; constantValue: number } }>(),
  Reverse: kernel<{ inputs: [x: TensorInfo]; attrs: { axes: number[] } }>(),
  Tile: kernel<{ inputs: [x: TensorInfo]; attrs: { reps: number[] } }>(),
  /** Picks slices of `x` along `axis` at int32 `indices` (output: x.shape[:axis] + indices.shape + x.shape[axis+1:]). */
  Gather: kernel<{ inputs: [x: TensorInfo, indices: TensorInfo]; attrs: { axis: number } }>(),
  /**
   * Sums rows of `x` (shape `[n, ...rest]`) into `numSegments` rows by int32 `segmentIds` (shape `[n]`);
   * the gradient of Gather. Output `[numSegments, ...rest]`.
   */
  UnsortedSegmentSum: kernel<{ inputs: [x: TensorInfo, segmentIds: TensorInfo]; attrs: { numSegments: number } }>(),
  /** Batched `[b, m, k] × [b, k, n]` (after optional transposes of the last two axes); batch already broadcast. */
  BatchMatMul: kernel<{
    inputs: [a: TensorInfo, b: TensorInfo];
    attrs: { transposeA: boolean; transposeB: boolean };
  }>(),
  Conv2D: kernel<{ inputs: [x: TensorInfo, filter: TensorInfo]; attrs: Conv2DAttrs }>(),
  Conv2DBackpropInput: kernel<{
    inputs: [dy: TensorInfo, filter: TensorInfo];
    attrs: Conv2DAttrs & { inShape: number[] };
  }>(),
  Conv2DBackpropFilter: kernel<{
    inputs: [x: TensorInfo, dy: TensorInfo];
    attrs: Conv2DAttrs & { filterShape: number[] };
  }>(),
  DepthwiseConv2D: kernel<{ inputs: [x: TensorInfo, filter: TensorInfo]; attrs: Conv2DAttrs }>(),
  DepthwiseConv2DBackpropInput: kernel<{
    inputs: [dy: TensorInfo, filter: TensorInfo];
    attrs: Conv2DAttrs & { inShape: number[] };
  }>(),
  DepthwiseConv2DBackpropFilter: kernel<{
    inputs: [x: TensorInfo, dy: TensorInfo];
    attrs: Conv2DAttrs & { filterShape: number[] };
  }>(),
  MaxPool: kernel<{ inputs: [x: TensorInfo]; attrs: Pool2DAttrs }>(),
  /** Routes each `dy` value to the first maximum of its window in `x`. */
  MaxPoolGrad: kernel<{ inputs: [dy: TensorInfo, x: TensorInfo]; attrs: Pool2DAttrs }>(),
  /** Windows average over the valid (non-padding) elements only. */
  AvgPool: kernel<{ inputs: [x: TensorInfo]; attrs: Pool2DAttrs }>(),
  AvgPoolGrad: kernel<{ inputs: [dy: TensorInfo]; attrs: Pool2DAttrs & { inShape: number[] } }>(),
  /**
   * `activation(x + bias)`, `bias` (`[channels]`) added along the last axis of `x` (a layer's
   * bias and activation in one pass); activation "linear", "relu", "sigmoid" or "tanh".
   */
  BiasActivation: kernel<{
    inputs: [x: TensorInfo, bias: TensorInfo];
    attrs: { activation: "linear" | "relu" | "sigmoid" | "tanh" };
  }>(),
  /**
   * An activation's gradient from its output `y` (same shape as `dy`): relu `dy·[y > 0]`,
   * sigmoid `dy·y·(1 − y)`, tanh `dy·(1 − y²)`.
   */
  ActivationGrad: kernel<{
    inputs: [y: TensorInfo, dy: TensorInfo];
    attrs: { activation: "relu" | "sigmoid" | "tanh" };
  }>(),
  /**
   * A simple recurrence over time-major projected inputs `xw` `[steps, batch, units]` from the
   * state `h0` `[batch, units]` with the recurrent kernel `u` `[units, units]`:
   * `h_t = activation(xw_t + h_{t−1}·u)`. Output: every state `[steps, batch, units]` (h_1 … h_T).
   */
  RnnForward: kernel<{
    inputs: [xw: TensorInfo, h0: TensorInfo, u: TensorInfo];
    attrs: { activation: "relu" | "sigmoid" | "tanh" };
  }>(),
  /**
   * RnnForward's gradient with respect to its pre-activations, from its states `hs` and the gradient
   * `dhs` of every state (`[steps, batch, units]`), walking back in time:
   * `dz_t = activationGrad(h_t, dhs_t + dz_{t+1}·uᵀ)` with `dz_{T+1} = 0`. Output: `dz` (same shape).
   */
  RnnBackward: kernel<{
    inputs: [hs: TensorInfo, u: TensorInfo, dhs: TensorInfo];
    attrs: { activation: "relu" | "sigmoid" | "tanh" };
  }>(),
  /** `exp(x) / Σ exp(x)` over the last axis (float32; shifted by the row's maximum). */
  Softmax: kernel<{ inputs: [logits: TensorInfo]; attrs: Record<string, never> }>(),
  /** Softmax's gradient over the last axis from its output `y`: `y·(dy − Σ dy·y)`. */
  SoftmaxGrad: kernel<{ inputs: [y: TensorInfo, dy: TensorInfo]; attrs: Record<string, never> }>(),
  /**
   * Cross-entropy of probabilities against targets (same shape `[..., classes]`), per row:
   * `−Σ t·log(clip(p / Σp, ε, 1 − ε))`. Output: the shape without its last axis.
   */
  CrossEntropy: kernel<{ inputs: [targets: TensorInfo, probs: TensorInfo]; attrs: { epsilon: number } }>(),
  /** CrossEntropy's gradient with respect to `probs`, given the gradient of each row's loss (`dy`: `[...]`). */
  CrossEntropyGrad: kernel<{
    inputs: [targets: TensorInfo, probs: TensorInfo, dy: TensorInfo];
    attrs: { epsilon: number };
  }>(),
  /**
   * CrossEntropy against class indices: `labels` (float32, `[...]`, the probabilities' shape without
   * its last axis) name each row's class, and the row's loss is `−log(clip(p[label] / Σp, ε, 1 − ε))`,
   * what CrossEntropy gives for one-hot targets. A fractional label selects the class
   * `floor(label)`; one outside `[0, classes)` (or NaN) selects none: that row's loss and gradient are 0.
   */
  SparseCrossEntropy: kernel<{ inputs: [labels: TensorInfo, probs: TensorInfo]; attrs: { epsilon: number } }>(),
  /** SparseCrossEntropy's gradient with respect to `probs`, given the gradient of each row's loss (`dy`: `[...]`). */
  SparseCrossEntropyGrad: kernel<{
    inputs: [labels: TensorInfo, probs: TensorInfo, dy: TensorInfo];
    attrs: { epsilon: number };
  }>(),
  /**
   * Adam's moment update on float32 data. `moments` packs `[2, ...g.shape]` (first moment m, then
   * second moment v); the output has the same layout: `m' = β1·m + (1 − β1)·g`, `v' = β2·v + (1 − β2)·g²`.
   */
  AdamMoments: kernel<{ inputs: [moments: TensorInfo, g: TensorInfo]; attrs: { beta1: number; beta2: number } }>(),
  /**
   * Adam's weight update from updated `moments` (`[2, ...w.shape]`, see AdamMoments):
   * `w − learningRate · m̂ / (√v̂ + ε)` with `m̂ = m / (1 − beta1Power)`, `v̂ = v / (1 − beta2Power)`.
   */
  AdamStep: kernel<{
    inputs: [w: TensorInfo, moments: TensorInfo];
    attrs: { learningRate: number; beta1Power: number; beta2Power: number; epsilon: number };
  }>(),
};

/** Inputs and attributes of every kernel, by name. */
export type KernelSpecs = {
  [K in keyof typeof KERNELS]: (typeof KERNELS)[K] extends KernelDeclaration<infer S> ? S : never;
};

export type KernelName = keyof KernelSpecs;

/** Every kernel name, in declaration order. */
export const ALL_KERNELS: readonly KernelName[] = Object.keys(KERNELS) as KernelName[];

/** What a kernel function receives: its inputs on this backend, attributes, and the output's shape/dtype. */
export interface KernelArgs<K extends KernelName> {
  inputs: KernelSpecs[K]["inputs"];
  attrs: KernelSpecs[K]["attrs"];
  out: { shape: number[]; dtype: DType };
}
