/**
 * Chained forms (`x.stridedSlice(…)`, `img.resizeBilinear(…)`) of the ops added for TF.js
 * completeness, and Tensor members TF.js has: `strides`, `bytes()`, `variable()`, `as5D()`.
 * Each method calls the op of the same name with `this` first, like chain.ts.
 */
import type { DType } from "./backend.js";
import { Tensor, type Tensor5D, type TensorLike, type Variable } from "./tensor.js";
import * as conv from "./ops/conv.js";
import { variable as makeVariable } from "./ops/creation.js";
import * as host from "./ops/host.js";
import { image } from "./ops/image.js";
import * as indexing from "./ops/indexing.js";
import type { PaddingArg } from "./ops/padding.js";
import * as pooling from "./ops/pooling.js";
import * as reduction from "./ops/reduction.js";
import * as scan from "./ops/scan.js";
import * as sets from "./ops/sets.js";
import * as shape from "./ops/shape.js";
import * as space from "./ops/space.js";
import * as trig from "./ops/trig.js";
import * as unary from "./ops/unary.js";

type Pair = number | [number, number];

declare module "./tensor.js" {
  interface Tensor {
    /** Arcsine of each element, in radians (`tf.asin(this)`). */
    asin<T extends Tensor = Tensor>(): T;
    /** Arccosine of each element, in radians (`tf.acos(this)`). */
    acos<T extends Tensor = Tensor>(): T;
    /** Arctangent of each element, in radians (`tf.atan(this)`). */
    atan<T extends Tensor = Tensor>(): T;
    /** Inverse hyperbolic sine of each element (`tf.asinh(this)`). */
    asinh<T extends Tensor = Tensor>(): T;
    /** Inverse hyperbolic cosine of each element (`tf.acosh(this)`). */
    acosh<T extends Tensor = Tensor>(): T;
    /** Inverse hyperbolic tangent of each element (`tf.atanh(this)`). */
    atanh<T extends Tensor = Tensor>(): T;
    /** Tangent of each element, in radians (`tf.tan(this)`). */
    tan<T extends Tensor = Tensor>(): T;
    /** Hyperbolic sine of each element (`tf.sinh(this)`). */
    sinh<T extends Tensor = Tensor>(): T;
    /** Hyperbolic cosine of each element (`tf.cosh(this)`). */
    cosh<T extends Tensor = Tensor>(): T;
    /** `log(sigmoid(x))` of each element, computed stably (`tf.logSigmoid(this)`). */
    logSigmoid<T extends Tensor = Tensor>(): T;
    /** 1 where an element is positive, `alpha` (default 0) elsewhere (`tf.step(this, alpha)`). */
    step<T extends Tensor = Tensor>(alpha?: number): T;
    /** A bool tensor: true where an element is ±Infinity (`tf.isInf(this)`). */
    isInf<T extends Tensor = Tensor>(): T;
    /** A bool tensor: true where an element is neither NaN nor ±Infinity (`tf.isFinite(this)`). */
    isFinite<T extends Tensor = Tensor>(): T;
    /** Euclidean norm over `axis` (all axes by default) (`tf.euclideanNorm`). Example: `v.euclideanNorm()`. */
    euclideanNorm<T extends Tensor = Tensor>(axis?: number | number[] | null, keepDims?: boolean): T;
    /** Cumulative product along `axis` (default 0) (`tf.cumprod`). Example: `tf.tensor1d([1, 2, 3]).cumprod()` → [1, 2, 6]. */
    cumprod<T extends Tensor = Tensor>(axis?: number, exclusive?: boolean, reverse?: boolean): T;
    /** A strided slice from `begin` to `end` (exclusive) with `strides`, the masks as in TF.js (`tf.stridedSlice`). Example: `x.stridedSlice([0], [10], [2])`. */
    stridedSlice<T extends Tensor = Tensor>(
      begin: number[],
      end: number[],
      strides?: number[],
      beginMask?: number,
      endMask?: number,
      ellipsisMask?: number,
      newAxisMask?: number,
      shrinkAxisMask?: number,
    ): T;
    /** Padded by mirroring the edges (`"reflect"` or `"symmetric"`); `paddings[i] = [before, after]` (`tf.mirrorPad`). */
    mirrorPad<T extends Tensor = Tensor>(paddings: [number, number][], mode: "reflect" | "symmetric"): T;
    /** Moves blocks of the spatial axes into the batch axis (`tf.spaceToBatchND`). */
    spaceToBatchND<T extends Tensor = Tensor>(blockShape: number[], paddings: number[][]): T;
    /** Moves blocks of the batch axis back into the spatial axes, cropping (`tf.batchToSpaceND`). */
    batchToSpaceND<T extends Tensor = Tensor>(blockShape: number[], crops: number[][]): T;
    /** Rearranges channel blocks of an image batch into `blockSize`² spatial blocks (`tf.depthToSpace`). */
    depthToSpace<T extends Tensor = Tensor>(blockSize: number, dataFormat?: "NHWC" | "NCHW"): T;
    /** Sums of the rows that share a segment id, `numSegments` of them (`tf.unsortedSegmentSum`). */
    unsortedSegmentSum<T extends Tensor = Tensor>(segmentIds: TensorLike, numSegments: number): T;
    /** The distinct values (first-seen order) and, for each element, the index of its value (`tf.unique`). */
    unique<T extends Tensor = Tensor>(axis?: number): { values: T; indices: Tensor };
    /** The `k` (default 1) largest values along the last axis and their indices (`tf.topk`). Example: `probs.topk(3)`. */
    topk<T extends Tensor = Tensor>(k?: number, sorted?: boolean): { values: T; indices: Tensor };
    /** Transposed 2-D convolution (upsampling) of this NHWC batch to `outputShape` (`tf.conv2dTranspose`). */
    conv2dTranspose<T extends Tensor = Tensor>(
      filter: TensorLike,
      outputShape: number[],
      strides: Pair,
      pad: "same" | "valid" | number,
    ): T;
    /** Depthwise then pointwise (1×1) convolution of this NHWC batch (`tf.separableConv2d`). */
    separableConv2d<T extends Tensor = Tensor>(
      depthwiseFilter: TensorLike,
      pointwiseFilter: TensorLike,
      strides: Pair,
      pad: PaddingArg,
      dilation?: Pair,
      dataFormat?: "NHWC",
    ): T;
    /** Average or max pooling of this NHWC batch over `windowShape` (`tf.pool`). */
    pool<T extends Tensor = Tensor>(
      windowShape: Pair,
      poolingType: "avg" | "max",
      pad: PaddingArg,
      dilations?: Pair,
      strides?: Pair,
    ): T;
    /** Grayscale dilation of this NHWC batch with `filter` (`tf.dilation2d`). */
    dilation2d<T extends Tensor = Tensor>(
      filter: TensorLike,
      strides: Pair,
      pad: "same" | "valid",
      dilations?: Pair,
      dataFormat?: "NHWC",
    ): T;
    /** Normalises each value by the activity of nearby channels (`tf.localResponseNormalization`). */
    localResponseNormalization<T extends Tensor = Tensor>(
      depthRadius?: number,
      bias?: number,
      alpha?: number,
      beta?: number,
    ): T;
    /** This image batch resized to `size` `[height, width]` by bilinear interpolation (`tf.image.resizeBilinear`). */
    resizeBilinear<T extends Tensor = Tensor>(size: number[], alignCorners?: boolean, halfPixelCenters?: boolean): T;
    /** This image batch resized to `size` `[height, width]` by nearest neighbour (`tf.image.resizeNearestNeighbor`). */
    resizeNearestNeighbor<T extends Tensor = Tensor>(
      size: number[],
      alignCorners?: boolean,
      halfPixelCenters?: boolean,
    ): T;
    /** The values reshaped to `[d0, d1, d2, d3, d4]`. */
    as5D(d0: number, d1: number, d2: number, d3: number, d4: number): Tensor5D;
    /** A variable initialised with this tensor's values. Example: `const w = tf.zeros([3]).variable()`. */
    variable(trainable?: boolean, name?: string, dtype?: DType): Variable;
    /** The values' bytes (a copy): 4 per element for float32/int32, 1 for bool. */
    bytes(): Promise<Uint8Array>;
    /** Row-major strides of the shape, without the last axis (TF.js's convention). Example: `[2, 3, 4]` → [12, 4]. */
    readonly strides: number[];
  }
}

const proto = Tensor.prototype as unknown as Record<string, unknown>;

function attach(ops: Record<string, unknown>, names: string[]): void {
  for (const name of names) {
    const op = ops[name] as (x: Tensor, ...rest: never[]) => unknown;
    if (typeof op !== "function") throw new Error(`chain: no op named ${name}`);
    proto[name] = function (this: Tensor, ...rest: never[]) {
      return op(this, ...rest);
    };
  }
}

attach(trig, ["asin", "acos", "atan", "asinh", "acosh", "atanh"]);
attach(unary, ["tan", "sinh", "cosh", "logSigmoid", "step", "isInf", "isFinite"]);
attach(reduction, ["euclideanNorm"]);
attach(scan, ["cumprod"]);
attach(indexing, ["stridedSlice", "mirrorPad"]);
attach(space, ["spaceToBatchND", "batchToSpaceND", "depthToSpace"]);
attach(shape, ["unsortedSegmentSum"]);
attach(sets, ["unique"]);
attach(host, ["topk"]);
attach(conv, ["conv2dTranspose", "separableConv2d"]);
attach(pooling, ["pool", "dilation2d", "localResponseNormalization"]);
attach(image, ["resizeBilinear", "resizeNearestNeighbor"]);

const extra: Record<string, (this: Tensor, ...args: never[]) => unknown> = {
  as5D(this: Tensor, d0: number, d1: number, d2: number, d3: number, d4: number) {
    return shape.reshape(this, [d0, d1, d2, d3, d4]);
  },
  variable(this: Tensor, trainable?: boolean, name?: string, dtype?: DType) {
    return makeVariable(this, trainable, name, dtype);
  },
  async bytes(this: Tensor) {
    const data = await this.data();
    return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  },
};
for (const [name, fn] of Object.entries(extra)) proto[name] = fn;

Object.defineProperty(Tensor.prototype, "strides", {
  get(this: Tensor) {
    const out: number[] = [];
    let s = 1;
    for (let i = this.shape.length - 1; i > 0; i--) {
      s *= this.shape[i];
      out.unshift(s);
    }
    return out;
  },
  configurable: true,
});
