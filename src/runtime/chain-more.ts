/**
 * Chained forms (`x.stridedSlice(…)`, `img.resizeBilinear(…)`) of the ops added for TF.js
 * completeness, and Tensor members TF.js has: `strides`, `bytes()`, `variable()`, `as5D()`.
 * Each method calls the op of the same name with `this` first, like chain.ts.
 */
import type { DType } from "./backend.js";
import { Tensor, type TensorLike, type Variable } from "./tensor.js";
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
    asin(): Tensor;
    acos(): Tensor;
    atan(): Tensor;
    asinh(): Tensor;
    acosh(): Tensor;
    atanh(): Tensor;
    tan(): Tensor;
    sinh(): Tensor;
    cosh(): Tensor;
    logSigmoid(): Tensor;
    step(alpha?: number): Tensor;
    isInf(): Tensor;
    isFinite(): Tensor;
    euclideanNorm(axis?: number | number[] | null, keepDims?: boolean): Tensor;
    cumprod(axis?: number, exclusive?: boolean, reverse?: boolean): Tensor;
    stridedSlice(
      begin: number[],
      end: number[],
      strides?: number[],
      beginMask?: number,
      endMask?: number,
      ellipsisMask?: number,
      newAxisMask?: number,
      shrinkAxisMask?: number,
    ): Tensor;
    mirrorPad(paddings: [number, number][], mode: "reflect" | "symmetric"): Tensor;
    spaceToBatchND(blockShape: number[], paddings: number[][]): Tensor;
    batchToSpaceND(blockShape: number[], crops: number[][]): Tensor;
    depthToSpace(blockSize: number, dataFormat?: "NHWC" | "NCHW"): Tensor;
    unsortedSegmentSum(segmentIds: TensorLike, numSegments: number): Tensor;
    unique(axis?: number): { values: Tensor; indices: Tensor };
    topk(k?: number, sorted?: boolean): { values: Tensor; indices: Tensor };
    conv2dTranspose(filter: TensorLike, outputShape: number[], strides: Pair, pad: "same" | "valid" | number): Tensor;
    separableConv2d(
      depthwiseFilter: TensorLike,
      pointwiseFilter: TensorLike,
      strides: Pair,
      pad: PaddingArg,
      dilation?: Pair,
      dataFormat?: "NHWC",
    ): Tensor;
    pool(windowShape: Pair, poolingType: "avg" | "max", pad: PaddingArg, dilations?: Pair, strides?: Pair): Tensor;
    dilation2d(filter: TensorLike, strides: Pair, pad: "same" | "valid", dilations?: Pair, dataFormat?: "NHWC"): Tensor;
    localResponseNormalization(depthRadius?: number, bias?: number, alpha?: number, beta?: number): Tensor;
    resizeBilinear(size: number[], alignCorners?: boolean, halfPixelCenters?: boolean): Tensor;
    resizeNearestNeighbor(size: number[], alignCorners?: boolean, halfPixelCenters?: boolean): Tensor;
    as5D(d0: number, d1: number, d2: number, d3: number, d4: number): Tensor;
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
