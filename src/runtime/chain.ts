/**
 * Chained forms of the ops: `a.add(b)`, `x.reshape([2, 3]).sum(1)`. Each method calls the op
 * of the same name with `this` as its first argument.
 */
import type { DType } from "./backend.js";
import {
  Tensor,
  type Scalar,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  type Tensor4D,
  type TensorLike,
} from "./tensor.js";
import { TensorBuffer } from "./buffer.js";
import * as arithmetic from "./ops/arithmetic.js";
import * as conv from "./ops/conv.js";
import * as creation from "./ops/creation.js";
import * as linalg from "./ops/linalg.js";
import * as logical from "./ops/logical.js";
import * as nn from "./ops/nn.js";
import * as reduction from "./ops/reduction.js";
import * as shape from "./ops/shape.js";
import * as unary from "./ops/unary.js";

type Axis = number | number[] | null;

declare module "./tensor.js" {
  interface Tensor {
    /** Adds `b` element by element, broadcasting shapes (`tf.add(this, b)`). Example: `x.add(1)`. */
    add<T extends Tensor = Tensor>(b: TensorLike): T;
    /** Subtracts `b` element by element, broadcasting (`tf.sub(this, b)`). Example: `pred.sub(labels)`. */
    sub<T extends Tensor = Tensor>(b: TensorLike): T;
    /** Multiplies by `b` element by element, broadcasting (`tf.mul(this, b)`). Example: `x.mul(2)`. */
    mul<T extends Tensor = Tensor>(b: TensorLike): T;
    /** Divides by `b` element by element, broadcasting (`tf.div(this, b)`). Example: `x.div(255)`. */
    div<T extends Tensor = Tensor>(b: TensorLike): T;
    /** Divides by `b`, giving 0 where `b` is 0 (`tf.divNoNan(this, b)`). */
    divNoNan<T extends Tensor = Tensor>(b: TensorLike): T;
    /** Divides by `b` and rounds down (`tf.floorDiv(this, b)`). Example: `tf.tensor1d([7]).floorDiv(2)` → [3]. */
    floorDiv<T extends Tensor = Tensor>(b: TensorLike): T;
    /** Remainder of dividing by `b`, with the sign of `b` (`tf.mod(this, b)`). */
    mod<T extends Tensor = Tensor>(b: TensorLike): T;
    /** Raises each element to the power `exp` (`tf.pow(this, exp)`). Example: `x.pow(2)`. */
    pow<T extends Tensor = Tensor>(exp: TensorLike): T;
    /** The larger of this and `b`, element by element (`tf.maximum(this, b)`). Example: `x.maximum(0)`. */
    maximum<T extends Tensor = Tensor>(b: TensorLike): T;
    /** The smaller of this and `b`, element by element (`tf.minimum(this, b)`). */
    minimum<T extends Tensor = Tensor>(b: TensorLike): T;
    /** `(this - b)²` element by element (`tf.squaredDifference(this, b)`). */
    squaredDifference<T extends Tensor = Tensor>(b: TensorLike): T;
    /** Angle of the point (b, this) in radians, element by element (`tf.atan2(this, b)`). */
    atan2<T extends Tensor = Tensor>(b: TensorLike): T;

    /** Each element negated (`tf.neg(this)`). */
    neg<T extends Tensor = Tensor>(): T;
    /** Absolute values (`tf.abs(this)`). */
    abs<T extends Tensor = Tensor>(): T;
    /** `e` raised to each element (`tf.exp(this)`). */
    exp<T extends Tensor = Tensor>(): T;
    /** `exp(x) - 1`, accurate near 0 (`tf.expm1(this)`). */
    expm1<T extends Tensor = Tensor>(): T;
    /** Natural logarithm of each element (`tf.log(this)`). */
    log<T extends Tensor = Tensor>(): T;
    /** `log(1 + x)`, accurate near 0 (`tf.log1p(this)`). */
    log1p<T extends Tensor = Tensor>(): T;
    /** Square root of each element (`tf.sqrt(this)`). */
    sqrt<T extends Tensor = Tensor>(): T;
    /** `1 / sqrt(x)` of each element (`tf.rsqrt(this)`). */
    rsqrt<T extends Tensor = Tensor>(): T;
    /** Each element squared (`tf.square(this)`). Example: `err.square().mean()`. */
    square<T extends Tensor = Tensor>(): T;
    /** `1 / x` of each element (`tf.reciprocal(this)`). */
    reciprocal<T extends Tensor = Tensor>(): T;
    /** -1, 0 or 1 by the sign of each element (`tf.sign(this)`). */
    sign<T extends Tensor = Tensor>(): T;
    /** Each element rounded down (`tf.floor(this)`). */
    floor<T extends Tensor = Tensor>(): T;
    /** Each element rounded up (`tf.ceil(this)`). */
    ceil<T extends Tensor = Tensor>(): T;
    /** Each element rounded to the nearest integer, halves to even (`tf.round(this)`). */
    round<T extends Tensor = Tensor>(): T;
    /** Sine of each element, in radians (`tf.sin(this)`). */
    sin<T extends Tensor = Tensor>(): T;
    /** Cosine of each element, in radians (`tf.cos(this)`). */
    cos<T extends Tensor = Tensor>(): T;
    /** Gauss error function of each element (`tf.erf(this)`). */
    erf<T extends Tensor = Tensor>(): T;
    /** A bool tensor: true where an element is NaN (`tf.isNaN(this)`). */
    isNaN<T extends Tensor = Tensor>(): T;
    /** `1 / (1 + exp(-x))` of each element (`tf.sigmoid(this)`). */
    sigmoid<T extends Tensor = Tensor>(): T;
    /** Hyperbolic tangent of each element (`tf.tanh(this)`). */
    tanh<T extends Tensor = Tensor>(): T;
    /** `max(x, 0)` of each element (`tf.relu(this)`). */
    relu<T extends Tensor = Tensor>(): T;
    /** `min(max(x, 0), 6)` of each element (`tf.relu6(this)`). */
    relu6<T extends Tensor = Tensor>(): T;
    /** `x` where positive, `alpha * x` elsewhere (default alpha 0.2) (`tf.leakyRelu(this, alpha)`). */
    leakyRelu<T extends Tensor = Tensor>(alpha?: number): T;
    /** `x` where positive, `exp(x) - 1` elsewhere (`tf.elu(this)`). */
    elu<T extends Tensor = Tensor>(): T;
    /** Scaled ELU, self-normalising (`tf.selu(this)`). */
    selu<T extends Tensor = Tensor>(): T;
    /** Leaky ReLU with a learned slope `alpha` for negative values (`tf.prelu(this, alpha)`). */
    prelu<T extends Tensor = Tensor>(alpha: TensorLike): T;
    /** `log(1 + exp(x))` of each element (`tf.softplus(this)`). */
    softplus<T extends Tensor = Tensor>(): T;
    /** Each element clamped into `[min, max]` (`tf.clipByValue(this, min, max)`). Example: `p.clipByValue(1e-7, 1 - 1e-7)`. */
    clipByValue<T extends Tensor = Tensor>(min: number, max: number): T;
    /** Softmax along the last axis: non-negative values that sum to 1 (`tf.softmax(this)`). Example: `logits.softmax()`. */
    softmax<T extends Tensor = Tensor>(dim?: number): T;
    /** Logarithm of the softmax along an axis, computed stably (`tf.logSoftmax(this, axis)`). */
    logSoftmax<T extends Tensor = Tensor>(axis?: number): T;

    /** A bool tensor: true where this equals `b` (`tf.equal(this, b)`). Example: `pred.argMax(1).equal(labels)`. */
    equal<T extends Tensor = Tensor>(b: TensorLike): T;
    /** A bool tensor: true where this differs from `b` (`tf.notEqual(this, b)`). */
    notEqual<T extends Tensor = Tensor>(b: TensorLike): T;
    /** A bool tensor: true where this is greater than `b` (`tf.greater(this, b)`). Example: `x.greater(0.5)`. */
    greater<T extends Tensor = Tensor>(b: TensorLike): T;
    /** A bool tensor: true where this is at least `b` (`tf.greaterEqual(this, b)`). */
    greaterEqual<T extends Tensor = Tensor>(b: TensorLike): T;
    /** A bool tensor: true where this is less than `b` (`tf.less(this, b)`). */
    less<T extends Tensor = Tensor>(b: TensorLike): T;
    /** A bool tensor: true where this is at most `b` (`tf.lessEqual(this, b)`). */
    lessEqual<T extends Tensor = Tensor>(b: TensorLike): T;
    /** Element-wise AND of two bool tensors (`tf.logicalAnd(this, b)`). */
    logicalAnd<T extends Tensor = Tensor>(b: TensorLike): T;
    /** Element-wise OR of two bool tensors (`tf.logicalOr(this, b)`). */
    logicalOr<T extends Tensor = Tensor>(b: TensorLike): T;
    /** Element-wise XOR of two bool tensors (`tf.logicalXor(this, b)`). */
    logicalXor<T extends Tensor = Tensor>(b: TensorLike): T;
    /** Element-wise NOT of a bool tensor (`tf.logicalNot(this)`). */
    logicalNot<T extends Tensor = Tensor>(): T;
    /** This where `condition` is true, `b` elsewhere (`tf.where(condition, this, b)`). */
    where<T extends Tensor = Tensor>(condition: TensorLike, b: TensorLike): T;

    /** Sum over `axis` (all axes by default); `keepDims` keeps reduced axes as size 1 (`tf.sum`). Example: `x.sum(1)`. */
    sum<T extends Tensor = Tensor>(axis?: Axis, keepDims?: boolean): T;
    /** Mean over `axis` (all axes by default) (`tf.mean`). Example: `loss.mean()`. */
    mean<T extends Tensor = Tensor>(axis?: Axis, keepDims?: boolean): T;
    /** Maximum over `axis` (all axes by default) (`tf.max`). */
    max<T extends Tensor = Tensor>(axis?: Axis, keepDims?: boolean): T;
    /** Minimum over `axis` (all axes by default) (`tf.min`). */
    min<T extends Tensor = Tensor>(axis?: Axis, keepDims?: boolean): T;
    /** Product over `axis` (all axes by default) (`tf.prod`). */
    prod<T extends Tensor = Tensor>(axis?: Axis, keepDims?: boolean): T;
    /** True if any element along `axis` is true (bool input) (`tf.any`). */
    any<T extends Tensor = Tensor>(axis?: Axis, keepDims?: boolean): T;
    /** True if every element along `axis` is true (bool input) (`tf.all`). */
    all<T extends Tensor = Tensor>(axis?: Axis, keepDims?: boolean): T;
    /** Index of the largest value along `axis` (default 0), as int32 (`tf.argMax`). Example: `probs.argMax(1)`. */
    argMax<T extends Tensor = Tensor>(axis?: number): T;
    /** Index of the smallest value along `axis` (default 0), as int32 (`tf.argMin`). */
    argMin<T extends Tensor = Tensor>(axis?: number): T;
    /** `log(sum(exp(x)))` over `axis`, computed stably (`tf.logSumExp`). */
    logSumExp<T extends Tensor = Tensor>(axis?: Axis, keepDims?: boolean): T;
    /** Vector or matrix norm over `axis`: `"euclidean"` (default), `"fro"`, or an order (`tf.norm`). */
    norm<T extends Tensor = Tensor>(ord?: number | "euclidean" | "fro", axis?: Axis, keepDims?: boolean): T;

    /** Same values in a new shape; one dimension may be -1 (inferred) (`tf.reshape`). Example: `x.reshape([-1, 784])`. */
    reshape<T extends Tensor = Tensor>(shape: number[]): T;
    /** Same values in the shape of tensor `x`. */
    reshapeAs<T extends Tensor = Tensor>(x: Tensor): T;
    /** The values as a 1-D tensor (from `startAxis` on, earlier axes kept). */
    flatten<T extends Tensor = Tensor>(startAxis?: number): T;
    /** Axes permuted by `perm` (reversed by default) (`tf.transpose`). Example: `m.transpose()`. */
    transpose<T extends Tensor = Tensor>(perm?: number[]): T;
    /** A new axis of size 1 inserted at `axis` (default 0) (`tf.expandDims`). Example: `x.expandDims(0)` makes a batch of one. */
    expandDims<T extends Tensor = Tensor>(axis?: number): T;
    /** Axes of size 1 removed (only those in `axis`, if given) (`tf.squeeze`). */
    squeeze<T extends Tensor = Tensor>(axis?: number | number[]): T;
    /** This and `others` joined along `axis` (default 0) (`tf.concat([this, ...others], axis)`). */
    concat<T extends Tensor = Tensor>(others: TensorLike | TensorLike[], axis?: number): T;
    /** This and `others` stacked along a new axis (default 0) (`tf.stack([this, ...others], axis)`). */
    stack<T extends Tensor = Tensor>(others: TensorLike | TensorLike[], axis?: number): T;
    /** The slices along `axis` (default 0) as a list of tensors (`tf.unstack`). */
    unstack<T extends Tensor = Tensor>(axis?: number): T[];
    /** Split along `axis` into `numOrSizeSplits` equal parts, or parts of the given sizes (`tf.split`). */
    split<T extends Tensor = Tensor>(numOrSizeSplits: number | number[], axis?: number): T[];
    /** The part starting at `begin` with `size` (-1 = to the end) (`tf.slice`). Example: `x.slice([0, 0], [10, -1])`. */
    slice<T extends Tensor = Tensor>(begin: number | number[], size?: number | number[]): T;
    /** Slices picked by `indices` along `axis` (`tf.gather`). Example: `xs.gather(tf.tensor1d([0, 2], "int32"))`. */
    gather<T extends Tensor = Tensor>(indices: TensorLike, axis?: number): T;
    /** Repeated `reps[i]` times along each axis (`tf.tile`). */
    tile<T extends Tensor = Tensor>(reps: number[]): T;
    /** Padded with `constantValue` (default 0): `paddings[i] = [before, after]` for axis i (`tf.pad`). */
    pad<T extends Tensor = Tensor>(paddings: [number, number][], constantValue?: number): T;
    /** Values in reverse order along `axis` (all axes by default) (`tf.reverse`). */
    reverse<T extends Tensor = Tensor>(axis?: number | number[]): T;
    /** Broadcast to `shape` (size-1 axes repeated) (`tf.broadcastTo`). */
    broadcastTo<T extends Tensor = Tensor>(shape: number[]): T;
    /** The values converted to `dtype` (`"float32"`, `"int32"`, `"bool"`) (`tf.cast`). */
    cast<T extends Tensor = Tensor>(dtype: DType): T;
    /** The values converted to `dtype` (same as `cast`). */
    asType<T extends Tensor = Tensor>(dtype: DType): T;
    /** The values as float32. */
    toFloat<T extends Tensor = Tensor>(): T;
    /** The values as int32 (truncated toward zero). */
    toInt<T extends Tensor = Tensor>(): T;
    /** The values as bool (non-zero is true). */
    toBool<T extends Tensor = Tensor>(): T;
    /** A copy that shares the data and can be disposed separately (`tf.clone`). */
    clone<T extends Tensor>(this: T): T;
    /** This one-element tensor as a scalar. */
    asScalar(): Scalar;
    /** The values as a 1-D tensor. */
    as1D(): Tensor1D;
    /** The values reshaped to `[rows, columns]`. */
    as2D(rows: number, columns: number): Tensor2D;
    /** The values reshaped to `[d0, d1, d2]`. */
    as3D(d0: number, d1: number, d2: number): Tensor3D;
    /** The values reshaped to `[d0, d1, d2, d3]`. */
    as4D(d0: number, d1: number, d2: number, d3: number): Tensor4D;
    /** One-hot encoding of these int32 indices with `depth` classes (`tf.oneHot`). */
    oneHot<T extends Tensor = Tensor>(depth: number, onValue?: number, offValue?: number): T;
    /** Zeros of the same shape and dtype (`tf.zerosLike`). */
    zerosLike<T extends Tensor = Tensor>(): T;
    /** Ones of the same shape and dtype (`tf.onesLike`). */
    onesLike<T extends Tensor = Tensor>(): T;

    /** Matrix product with `b`, optionally transposing either side; batched for rank > 2 (`tf.matMul`). Example: `x.matMul(w)`. */
    matMul<T extends Tensor = Tensor>(b: TensorLike, transposeA?: boolean, transposeB?: boolean): T;
    /** Dot product of vectors, or matrix product (`tf.dot`). */
    dot<T extends Tensor = Tensor>(b: TensorLike): T;
    /** Cumulative sum along `axis` (default 0) (`tf.cumsum`). */
    cumsum<T extends Tensor = Tensor>(axis?: number, exclusive?: boolean, reverse?: boolean): T;
    /** 2-D convolution of this NHWC batch with `filter` `[h, w, in, out]` (`tf.conv2d`). */
    conv2d<T extends Tensor = Tensor>(
      filter: TensorLike,
      strides: number | [number, number],
      pad: conv.PaddingArg,
      dataFormat?: "NHWC",
      dilations?: number | [number, number],
    ): T;
    /** 1-D convolution of this `[batch, width, channels]` input with `filter` `[w, in, out]` (`tf.conv1d`). */
    conv1d<T extends Tensor = Tensor>(filter: TensorLike, stride: number, pad: "same" | "valid" | number): T;
    /** Depthwise 2-D convolution: each input channel with its own filters (`tf.depthwiseConv2d`). */
    depthwiseConv2d<T extends Tensor = Tensor>(
      filter: TensorLike,
      strides: number | [number, number],
      pad: conv.PaddingArg,
      dataFormat?: "NHWC",
      dilations?: number | [number, number],
    ): T;
    /** 2-D max pooling of this NHWC batch (`tf.maxPool`). */
    maxPool<T extends Tensor = Tensor>(
      filterSize: number | [number, number],
      strides: number | [number, number],
      pad: conv.PaddingArg,
    ): T;
    /** 2-D average pooling of this NHWC batch (`tf.avgPool`). */
    avgPool<T extends Tensor = Tensor>(
      filterSize: number | [number, number],
      strides: number | [number, number],
      pad: conv.PaddingArg,
    ): T;
    /** Randomly zeroes elements with probability `rate` and scales the rest by `1 / (1 - rate)` (`tf.dropout`). */
    dropout<T extends Tensor = Tensor>(rate: number, noiseShape?: number[], seed?: number): T;
    /** The values as a mutable `TensorBuffer` (a copy). */
    bufferSync(): TensorBuffer;
    /** The values as a mutable `TensorBuffer` (a copy), asynchronously. */
    buffer(): Promise<TensorBuffer>;
    /** Batch normalisation with the given `mean`, `variance`, `offset` and `scale` (`tf.batchNorm`). */
    batchNorm<T extends Tensor = Tensor>(
      mean: TensorLike,
      variance: TensorLike,
      offset?: TensorLike,
      scale?: TensorLike,
      varianceEpsilon?: number,
    ): T;
  }
}

type AnyOp = (x: Tensor, ...rest: never[]) => unknown;
const proto = Tensor.prototype as unknown as Record<string, unknown>;

function attach(ops: Record<string, unknown>, names: string[]): void {
  for (const name of names) {
    const op = ops[name] as AnyOp;
    if (typeof op !== "function") throw new Error(`chain: no op named ${name}`);
    proto[name] = function (this: Tensor, ...rest: never[]) {
      return op(this, ...rest);
    };
  }
}

attach(arithmetic, [
  "add",
  "sub",
  "mul",
  "div",
  "divNoNan",
  "floorDiv",
  "mod",
  "pow",
  "maximum",
  "minimum",
  "squaredDifference",
  "atan2",
]);
attach(unary, [
  "neg",
  "abs",
  "exp",
  "expm1",
  "log",
  "log1p",
  "sqrt",
  "rsqrt",
  "square",
  "reciprocal",
  "sign",
  "floor",
  "ceil",
  "round",
  "sin",
  "cos",
  "erf",
  "isNaN",
  "sigmoid",
  "tanh",
  "relu",
  "relu6",
  "leakyRelu",
  "elu",
  "selu",
  "prelu",
  "softplus",
  "clipByValue",
]);
attach(nn, ["softmax", "logSoftmax", "dropout", "batchNorm"]);
attach(logical, [
  "equal",
  "notEqual",
  "greater",
  "greaterEqual",
  "less",
  "lessEqual",
  "logicalAnd",
  "logicalOr",
  "logicalXor",
  "logicalNot",
]);
attach(reduction, ["sum", "mean", "max", "min", "prod", "any", "all", "argMax", "argMin", "logSumExp", "norm"]);
attach(shape, [
  "reshape",
  "flatten",
  "transpose",
  "expandDims",
  "squeeze",
  "unstack",
  "split",
  "slice",
  "gather",
  "tile",
  "pad",
  "reverse",
  "broadcastTo",
  "cast",
]);
attach(creation, ["clone", "oneHot", "zerosLike", "onesLike"]);
attach(linalg, ["matMul", "dot", "cumsum"]);
attach(conv, ["conv2d", "conv1d", "depthwiseConv2d", "maxPool", "avgPool"]);

const extra: Record<string, (this: Tensor, ...args: never[]) => unknown> = {
  where(this: Tensor, condition: TensorLike, b: TensorLike) {
    return logical.where(condition, this, b);
  },
  concat(this: Tensor, others: TensorLike | TensorLike[], axis?: number) {
    return shape.concat([this, ...tensorList(others)], axis);
  },
  stack(this: Tensor, others: TensorLike | TensorLike[], axis?: number) {
    return shape.stack([this, ...tensorList(others)], axis);
  },
  reshapeAs(this: Tensor, x: Tensor) {
    return shape.reshape(this, x.shape);
  },
  asType(this: Tensor, dtype: DType) {
    return shape.cast(this, dtype);
  },
  toFloat(this: Tensor) {
    return shape.cast(this, "float32");
  },
  toInt(this: Tensor) {
    return shape.cast(this, "int32");
  },
  toBool(this: Tensor) {
    return shape.cast(this, "bool");
  },
  bufferSync(this: Tensor) {
    return new TensorBuffer(this.shape, this.dtype, this.dataSync());
  },
  async buffer(this: Tensor) {
    return new TensorBuffer(this.shape, this.dtype, await this.data());
  },
  asScalar(this: Tensor) {
    return shape.reshape(this, []);
  },
  as1D(this: Tensor) {
    return shape.reshape(this, [this.size]);
  },
  as2D(this: Tensor, rows: number, columns: number) {
    return shape.reshape(this, [rows, columns]);
  },
  as3D(this: Tensor, d0: number, d1: number, d2: number) {
    return shape.reshape(this, [d0, d1, d2]);
  },
  as4D(this: Tensor, d0: number, d1: number, d2: number, d3: number) {
    return shape.reshape(this, [d0, d1, d2, d3]);
  },
};
for (const [name, fn] of Object.entries(extra)) proto[name] = fn;

/** `b` or `[b, c]` as a list: an array counts as a list only when it holds tensors. */
function tensorList(others: TensorLike | TensorLike[]): TensorLike[] {
  if (Array.isArray(others) && others.length > 0 && others.every((o) => o instanceof Tensor))
    return others as TensorLike[];
  return [others as TensorLike];
}
