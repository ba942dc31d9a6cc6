/**
 * Chained forms of the ops: `a.add(b)`, `x.reshape([2, 3]).sum(1)`. Each method calls the op
 * of the same name with `this` as its first argument.
 */
import type { DType } from "./backend.js";
import { Tensor, type TensorLike } from "./tensor.js";
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
    add(b: TensorLike): Tensor;
    sub(b: TensorLike): Tensor;
    mul(b: TensorLike): Tensor;
    div(b: TensorLike): Tensor;
    divNoNan(b: TensorLike): Tensor;
    floorDiv(b: TensorLike): Tensor;
    mod(b: TensorLike): Tensor;
    pow(exp: TensorLike): Tensor;
    maximum(b: TensorLike): Tensor;
    minimum(b: TensorLike): Tensor;
    squaredDifference(b: TensorLike): Tensor;
    atan2(b: TensorLike): Tensor;

    neg(): Tensor;
    abs(): Tensor;
    exp(): Tensor;
    expm1(): Tensor;
    log(): Tensor;
    log1p(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    square(): Tensor;
    reciprocal(): Tensor;
    sign(): Tensor;
    floor(): Tensor;
    ceil(): Tensor;
    round(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    erf(): Tensor;
    isNaN(): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    relu(): Tensor;
    relu6(): Tensor;
    leakyRelu(alpha?: number): Tensor;
    elu(): Tensor;
    selu(): Tensor;
    prelu(alpha: TensorLike): Tensor;
    softplus(): Tensor;
    clipByValue(min: number, max: number): Tensor;
    softmax(dim?: number): Tensor;
    logSoftmax(axis?: number): Tensor;

    equal(b: TensorLike): Tensor;
    notEqual(b: TensorLike): Tensor;
    greater(b: TensorLike): Tensor;
    greaterEqual(b: TensorLike): Tensor;
    less(b: TensorLike): Tensor;
    lessEqual(b: TensorLike): Tensor;
    logicalAnd(b: TensorLike): Tensor;
    logicalOr(b: TensorLike): Tensor;
    logicalXor(b: TensorLike): Tensor;
    logicalNot(): Tensor;
    where(condition: TensorLike, b: TensorLike): Tensor;

    sum(axis?: Axis, keepDims?: boolean): Tensor;
    mean(axis?: Axis, keepDims?: boolean): Tensor;
    max(axis?: Axis, keepDims?: boolean): Tensor;
    min(axis?: Axis, keepDims?: boolean): Tensor;
    prod(axis?: Axis, keepDims?: boolean): Tensor;
    any(axis?: Axis, keepDims?: boolean): Tensor;
    all(axis?: Axis, keepDims?: boolean): Tensor;
    argMax(axis?: number): Tensor;
    argMin(axis?: number): Tensor;
    logSumExp(axis?: Axis, keepDims?: boolean): Tensor;
    norm(ord?: number | "euclidean" | "fro", axis?: Axis, keepDims?: boolean): Tensor;

    reshape(shape: number[]): Tensor;
    reshapeAs(x: Tensor): Tensor;
    flatten(startAxis?: number): Tensor;
    transpose(perm?: number[]): Tensor;
    expandDims(axis?: number): Tensor;
    squeeze(axis?: number | number[]): Tensor;
    concat(others: TensorLike | TensorLike[], axis?: number): Tensor;
    stack(others: TensorLike | TensorLike[], axis?: number): Tensor;
    unstack(axis?: number): Tensor[];
    split(numOrSizeSplits: number | number[], axis?: number): Tensor[];
    slice(begin: number | number[], size?: number | number[]): Tensor;
    gather(indices: TensorLike, axis?: number): Tensor;
    tile(reps: number[]): Tensor;
    pad(paddings: [number, number][], constantValue?: number): Tensor;
    reverse(axis?: number | number[]): Tensor;
    broadcastTo(shape: number[]): Tensor;
    cast(dtype: DType): Tensor;
    asType(dtype: DType): Tensor;
    toFloat(): Tensor;
    toInt(): Tensor;
    toBool(): Tensor;
    clone(): Tensor;
    asScalar(): Tensor;
    as1D(): Tensor;
    as2D(rows: number, columns: number): Tensor;
    as3D(d0: number, d1: number, d2: number): Tensor;
    as4D(d0: number, d1: number, d2: number, d3: number): Tensor;
    oneHot(depth: number, onValue?: number, offValue?: number): Tensor;
    zerosLike(): Tensor;
    onesLike(): Tensor;

    matMul(b: TensorLike, transposeA?: boolean, transposeB?: boolean): Tensor;
    dot(b: TensorLike): Tensor;
    cumsum(axis?: number, exclusive?: boolean, reverse?: boolean): Tensor;
    conv2d(
      filter: TensorLike,
      strides: number | [number, number],
      pad: conv.PaddingArg,
      dataFormat?: "NHWC",
      dilations?: number | [number, number],
    ): Tensor;
    conv1d(filter: TensorLike, stride: number, pad: "same" | "valid" | number): Tensor;
    depthwiseConv2d(
      filter: TensorLike,
      strides: number | [number, number],
      pad: conv.PaddingArg,
      dataFormat?: "NHWC",
      dilations?: number | [number, number],
    ): Tensor;
    maxPool(filterSize: number | [number, number], strides: number | [number, number], pad: conv.PaddingArg): Tensor;
    avgPool(filterSize: number | [number, number], strides: number | [number, number], pad: conv.PaddingArg): Tensor;
    dropout(rate: number, noiseShape?: number[], seed?: number): Tensor;
    /** The values as a mutable `TensorBuffer` (a copy). */
    bufferSync(): TensorBuffer;
    buffer(): Promise<TensorBuffer>;
    batchNorm(
      mean: TensorLike,
      variance: TensorLike,
      offset?: TensorLike,
      scale?: TensorLike,
      varianceEpsilon?: number,
    ): Tensor;
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
