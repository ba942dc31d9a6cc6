/**
 * The ops added from the API census (issue 12), on every backend: each case runs the same code
 * through deepts and through real TF.js 4.22 (tfjs-core on its cpu backend; the API names and
 * signatures are the same) and compares values; differentiable cases also compare gradients with
 * TF.js's (where TF.js has one) and pass a finite-difference check on every backend.
 * Cases TF.js itself gets wrong or cannot run are checked against NumPy values instead.
 */
import * as tfjs from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops";
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { expectGradOk, expectValues, forEachBackend } from "./backends.js";

type Lib = any;
type T = any;

type Kind = "any" | "pos" | "int" | "bool" | "small";
interface Input {
  shape: number[];
  kind?: Kind;
  /** Explicit values (int32 when `kind` is "int"). */
  values?: number[];
}
interface Case {
  name: string;
  inputs: Input[];
  f: (lib: Lib, ...xs: T[]) => T;
  /** Differentiable in the float inputs: finite differences on every backend, and TF.js's gradient when it has one. */
  grad?: boolean;
  /** TF.js's gradient is wrong or missing for this case: only finite differences. */
  noTfjsGrad?: string;
  /** Float inputs that are parameters, not differentiated (box coordinates). */
  constants?: number[];
}

function generate(input: Input, seed: number): number[] {
  if (input.values) return input.values;
  const n = input.shape.reduce((a, b) => a * b, 1);
  let s = seed * 7919 + 17;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return Array.from({ length: n }, () => {
    switch (input.kind ?? "any") {
      case "pos":
        return 0.3 + 2 * rnd();
      case "int":
        return Math.floor(rnd() * 5);
      case "bool":
        return rnd() < 0.5 ? 1 : 0;
      case "small":
        return 0.8 * (2 * rnd() - 1);
      default:
        return 2 * rnd() - 1;
    }
  });
}

function make(lib: Lib, input: Input, seed: number): T {
  const v = generate(input, seed);
  const dtype = input.kind === "int" ? "int32" : input.kind === "bool" ? "bool" : "float32";
  return lib.tensor(dtype === "bool" ? v.map((x) => x === 1) : v, input.shape, dtype);
}

/** Every tensor in a result (a tensor, an array, or an object of tensors), in a fixed order. */
function outputs(r: T): T[] {
  if (Array.isArray(r)) return r.flatMap(outputs);
  if (r && typeof r === "object" && !("dataSync" in r))
    return Object.keys(r)
      .sort()
      .flatMap((k) => outputs(r[k]));
  return [r];
}

const f32 = (...shape: number[]): Input => ({ shape });
const pos = (...shape: number[]): Input => ({ shape, kind: "pos" });
const ints = (values: number[], shape = [values.length]): Input => ({ shape, kind: "int", values });
const floats = (values: number[], shape = [values.length]): Input => ({ shape, values });

const cases: Case[] = [
  // inverse trigonometric (atan2's kernel) and hyperbolic
  { name: "asin", inputs: [f32(2, 3)], f: (t, x) => t.asin(t.mul(x, 0.95)), grad: true },
  { name: "acos", inputs: [f32(2, 3)], f: (t, x) => t.acos(t.mul(x, 0.95)), grad: true },
  { name: "atan", inputs: [f32(2, 3)], f: (t, x) => t.atan(t.mul(x, 4)), grad: true },
  {
    name: "asin/acos/atan at the edges",
    inputs: [floats([-1, -0.999, 0, 1e-4, 0.999, 1, 1.5, -2])],
    f: (t, x) => [t.asin(x), t.acos(x), t.atan(t.mul(x, 1000))],
  },
  { name: "asinh", inputs: [f32(2, 3)], f: (t, x) => t.asinh(t.mul(x, 3)), grad: true },
  { name: "acosh", inputs: [pos(2, 3)], f: (t, x) => t.acosh(t.add(x, 1)), grad: true },
  { name: "atanh", inputs: [f32(2, 3)], f: (t, x) => t.atanh(t.mul(x, 0.9)), grad: true },
  // matrix norms (two axes)
  {
    name: "norm of matrices",
    inputs: [f32(2, 2, 3)],
    f: (t, x) => [
      t.norm(x, 1, [0, 1]),
      t.norm(x, Infinity, [0, 1]),
      t.norm(x, -Infinity, [1, 2], true),
      t.norm(x, "fro", [0, 2]),
      t.norm(x, 2, 1),
    ],
  },
  { name: "norm of matrices grad", inputs: [f32(3, 3)], f: (t, x) => t.norm(x, "fro", [0, 1]), grad: true },
  // strided slices (TF's masks)
  {
    name: "stridedSlice steps",
    inputs: [f32(3, 4, 2)],
    f: (t, x) => t.stridedSlice(x, [0, 1, 0], [3, 4, 2], [2, 2, 1]),
    grad: true,
  },
  {
    name: "stridedSlice negative strides",
    inputs: [f32(3, 4, 2)],
    f: (t, x) => t.stridedSlice(x, [-1, 3, 1], [0, 0, 0], [-1, -2, -1]),
    grad: true,
  },
  {
    name: "stridedSlice ellipsis",
    inputs: [f32(3, 4, 2)],
    f: (t, x) => t.stridedSlice(x, [0, 1], [0, 3], [1, 1], 0, 0, 1),
    grad: true,
  },
  {
    name: "stridedSlice newAxis",
    inputs: [f32(3, 4, 2)],
    f: (t, x) => t.stridedSlice(x, [0, 0, 1], [0, 2, 3], [1, 1, 1], 0, 0, 0, 1),
    grad: true,
  },
  { name: "stridedSlice short begin", inputs: [f32(3, 4, 2)], f: (t, x) => t.stridedSlice(x, [1], [3]), grad: true },
  {
    name: "stridedSlice begin/end masks",
    inputs: [f32(3, 4, 2)],
    f: (t, x) => t.stridedSlice(x, [1, 0, 1], [2, 0, 0], [1, 1, -1], 2, 2),
    grad: true,
  },
  // gather / scatter
  {
    name: "gatherND",
    inputs: [f32(3, 4), ints([0, 1, 2, 3, 1, 0], [3, 2])],
    f: (t, x, i) => t.gatherND(x, i),
    grad: true,
  },
  { name: "gatherND rows", inputs: [f32(3, 4), ints([2, 0, 2], [3, 1])], f: (t, x, i) => t.gatherND(x, i), grad: true },
  {
    name: "scatterND (repeated indices sum)",
    inputs: [ints([0, 2, 0], [3, 1]), f32(3, 3)],
    f: (t, i, u) => t.scatterND(i, u, [4, 3]),
    grad: true,
  },
  {
    name: "tensorScatterUpdate",
    inputs: [f32(4, 3), ints([1, 3], [2, 1]), f32(2, 3)],
    f: (t, a, i, u) => t.tensorScatterUpdate(a, i, u),
    grad: true,
  },
  {
    name: "sparseToDense",
    inputs: [ints([0, 4, 2]), floats([1, 2, 3])],
    f: (t, i, v) => [t.sparseToDense(i, v, [6], 0.5), t.sparseToDense(t.reshape(i, [3, 1]), v, [6])],
    grad: true,
  },
  {
    name: "mirrorPad reflect",
    inputs: [f32(3, 2)],
    f: (t, x) =>
      t.mirrorPad(
        x,
        [
          [2, 1],
          [1, 1],
        ],
        "reflect",
      ),
    grad: true,
    noTfjsGrad: "TF.js's mirrorPad gradient only slices dy (it drops the mirrored copies)",
  },
  {
    name: "mirrorPad symmetric",
    inputs: [f32(2, 3)],
    f: (t, x) =>
      t.mirrorPad(
        x,
        [
          [2, 1],
          [0, 3],
        ],
        "symmetric",
      ),
    grad: true,
    noTfjsGrad: "TF.js's mirrorPad gradient only slices dy (it drops the mirrored copies)",
  },
  { name: "diag", inputs: [f32(2, 2)], f: (t, x) => t.diag(x), grad: true },
  // blocks between batch, depth and space
  {
    name: "spaceToBatchND",
    inputs: [f32(1, 4, 2, 2)],
    f: (t, x) =>
      t.spaceToBatchND(
        x,
        [2, 2],
        [
          [0, 0],
          [1, 1],
        ],
      ),
    grad: true,
  },
  {
    name: "batchToSpaceND",
    inputs: [f32(4, 2, 2, 1)],
    f: (t, x) =>
      t.batchToSpaceND(
        x,
        [2, 2],
        [
          [0, 1],
          [1, 0],
        ],
      ),
    grad: true,
  },
  { name: "depthToSpace", inputs: [f32(1, 2, 2, 4)], f: (t, x) => t.depthToSpace(x, 2), grad: true },
  // scans and searches
  {
    name: "cumprod",
    inputs: [f32(2, 4)],
    f: (t, x) => [t.cumprod(x, 1), t.cumprod(x, 0, true), t.cumprod(x, 1, false, true), t.cumprod(x, 1, true, true)],
  },
  { name: "cumprod grad", inputs: [f32(2, 4)], f: (t, x) => t.cumprod(x, 1), grad: true },
  {
    name: "cumprod with a zero",
    inputs: [floats([2, 0, 3, -1])],
    f: (t, x) => t.cumprod(x),
    grad: true,
    noTfjsGrad: "TF.js divides by the input and gives NaN at a zero",
  },
  {
    name: "searchSorted / lowerBound / upperBound",
    inputs: [floats([1, 2, 2, 5, 9, 0, 1, 1, 1, 3], [2, 5]), floats([2, 0, 9, 10, 1, 1, 3, 4], [2, 4])],
    f: (t, s, v) => [t.searchSorted(s, v), t.searchSorted(s, v, "right"), t.lowerBound(s, v), t.upperBound(s, v)],
  },
  // value-dependent shapes
  { name: "unique", inputs: [floats([3, 1, 3, 2, 1, 7])], f: (t, x) => t.unique(x) },
  {
    name: "unique grad",
    inputs: [floats([0.5, -1, 2])],
    f: (t, x) => t.mul(t.unique(t.concat([x, t.reverse(x)])).values, x),
    grad: true,
  },
  { name: "unique along axis 1", inputs: [floats([1, 0, 1, 2, 0, 2, 1, 0, 1], [3, 3])], f: (t, x) => t.unique(x, 1) },
  {
    name: "bincount",
    inputs: [ints([1, 1, 3, 4, 7]), floats([0.5, 1, 2, 3, 4])],
    f: (t, x, w) => [t.bincount(x, w, 5), t.bincount(x, [], 3)],
  },
  {
    name: "denseBincount",
    inputs: [ints([1, 1, 3, 0, 2, 2], [2, 3])],
    f: (t, x) => [t.denseBincount(x, [], 4), t.denseBincount(x, [], 4, true)],
  },
  { name: "bitwiseAnd", inputs: [ints([5, 3, 12]), ints([3, 6, 10])], f: (t, a, b) => t.bitwiseAnd(a, b) },
  // einsum
  { name: "einsum matMul", inputs: [f32(2, 3), f32(3, 4)], f: (t, a, b) => t.einsum("ij,jk->ik", a, b), grad: true },
  {
    name: "einsum batched",
    inputs: [f32(2, 2, 3), f32(2, 3, 2)],
    f: (t, a, b) => t.einsum("bij,bjk->bik", a, b),
    grad: true,
  },
  { name: "einsum dot", inputs: [f32(4), f32(4)], f: (t, a, b) => t.einsum("i,i->", a, b), grad: true },
  { name: "einsum outer", inputs: [f32(3), f32(2)], f: (t, a, b) => t.einsum("i,j->ij", a, b), grad: true },
  { name: "einsum transpose and sum", inputs: [f32(2, 3)], f: (t, a) => [t.einsum("ij->ji", a), t.einsum("ij->i", a)] },
  // tf.linalg
  {
    name: "linalg.bandPart",
    inputs: [f32(2, 3, 4)],
    f: (t, a) => [t.linalg.bandPart(a, 1, 0), t.linalg.bandPart(a, -1, 1), t.linalg.bandPart(a, 0, -1)],
  },
  { name: "linalg.bandPart grad", inputs: [f32(3, 3)], f: (t, a) => t.linalg.bandPart(a, 1, 0), grad: true },
  { name: "linalg.gramSchmidt", inputs: [f32(2, 3)], f: (t, a) => t.linalg.gramSchmidt(a), grad: true },
  { name: "linalg.qr", inputs: [f32(4, 3)], f: (t, a) => t.linalg.qr(a) },
  { name: "linalg.qr full", inputs: [f32(3, 3)], f: (t, a) => t.linalg.qr(a, true) },
  // volumes
  {
    name: "conv3d same",
    inputs: [f32(1, 3, 3, 2, 2), f32(2, 2, 2, 2, 2)],
    f: (t, x, w) => t.conv3d(x, w, 1, "same"),
    grad: true,
  },
  {
    name: "conv3d valid strided",
    inputs: [f32(1, 4, 3, 3, 1), f32(2, 2, 2, 1, 2)],
    f: (t, x, w) => t.conv3d(x, w, [2, 1, 1], "valid"),
    grad: true,
  },
  {
    name: "conv3dTranspose",
    inputs: [f32(1, 2, 2, 2, 2), f32(2, 2, 2, 1, 2)],
    f: (t, x, w) => t.conv3dTranspose(x, w, [1, 4, 4, 4, 1], 2, "same"),
    grad: true,
  },
  { name: "maxPool3d", inputs: [f32(1, 4, 3, 3, 2)], f: (t, x) => t.maxPool3d(x, 2, [2, 1, 1], "valid"), grad: true },
  {
    name: "avgPool3d",
    inputs: [f32(1, 3, 3, 3, 1)],
    f: (t, x) => t.avgPool3d(x, 2, 2, "same"),
    grad: true,
    noTfjsGrad: "TF.js divides 'same' windows by their full size",
  },
  // windows
  { name: "pool dilated max", inputs: [f32(1, 5, 5, 1)], f: (t, x) => t.pool(x, [2, 2], "max", "same", 2), grad: true },
  {
    name: "pool dilated avg",
    inputs: [f32(1, 6, 4, 2)],
    f: (t, x) => t.pool(x, [3, 2], "avg", "valid", [2, 1]),
    grad: true,
  },
  {
    name: "maxPoolWithArgmax",
    inputs: [f32(2, 4, 4, 2)],
    f: (t, x) => {
      const a = t.maxPoolWithArgmax(x, 2, 2, "valid");
      const b = t.maxPoolWithArgmax(x, 3, 1, "same", true);
      return [a.result, a.indexes, b.result, b.indexes];
    },
  },
  {
    name: "dilation2d",
    inputs: [f32(1, 4, 4, 2), f32(2, 2, 2)],
    f: (t, x, w) => [t.dilation2d(x, w, 1, "same"), t.dilation2d(x, w, 2, "valid"), t.dilation2d(x, w, 1, "same", 2)],
  },
  {
    name: "dilation2d grad",
    inputs: [f32(1, 3, 3, 1), f32(2, 2, 1)],
    f: (t, x, w) => t.dilation2d(x, w, 1, "valid"),
    grad: true,
  },
  {
    name: "localResponseNormalization",
    inputs: [f32(1, 2, 2, 5)],
    f: (t, x) => t.localResponseNormalization(t.mul(x, 2), 1, 2, 0.5, 0.75),
    grad: true,
  },
  // tf.image
  {
    name: "image.resizeBilinear",
    inputs: [f32(1, 3, 4, 2)],
    f: (t, x) => [
      t.image.resizeBilinear(x, [5, 3]),
      t.image.resizeBilinear(x, [2, 6], true),
      t.image.resizeBilinear(x, [6, 6], false, true),
    ],
  },
  {
    name: "image.resizeBilinear grad",
    inputs: [f32(1, 3, 3, 1)],
    f: (t, x) => t.image.resizeBilinear(x, [5, 4]),
    grad: true,
  },
  {
    name: "image.resizeNearestNeighbor",
    inputs: [f32(1, 3, 4, 2)],
    f: (t, x) => [
      t.image.resizeNearestNeighbor(x, [5, 3]),
      t.image.resizeNearestNeighbor(x, [2, 6], true),
      t.image.resizeNearestNeighbor(x, [6, 6], false, true),
    ],
  },
  {
    name: "image.resizeNearestNeighbor grad",
    inputs: [f32(1, 3, 3, 1)],
    f: (t, x) => t.image.resizeNearestNeighbor(x, [5, 2]),
    grad: true,
  },
  {
    name: "image.cropAndResize",
    inputs: [f32(2, 4, 5, 2), floats([0, 0, 1, 1, 0.2, 0.1, 0.9, 0.7, -0.2, 0.5, 0.6, 1.3], [3, 4]), ints([0, 1, 1])],
    f: (t, x, b, i) => [
      t.image.cropAndResize(x, b, i, [3, 2]),
      t.image.cropAndResize(x, b, i, [2, 3], "nearest", -1),
      t.image.cropAndResize(x, b, i, [1, 1]),
    ],
  },
  {
    name: "image.cropAndResize grad",
    inputs: [f32(1, 3, 3, 1), floats([0.1, 0, 0.9, 0.8], [1, 4]), ints([0])],
    f: (t, x, b, i) => t.image.cropAndResize(x, b, i, [2, 2]),
    grad: true,
    constants: [1],
  },
  { name: "image.flipLeftRight", inputs: [f32(2, 2, 3, 1)], f: (t, x) => t.image.flipLeftRight(x), grad: true },
  {
    name: "image.rgbToGrayscale / grayscaleToRGB",
    inputs: [f32(2, 2, 3)],
    f: (t, x) => [t.image.rgbToGrayscale(x), t.image.grayscaleToRGB(t.image.rgbToGrayscale(x))],
  },
  {
    name: "image.rotateWithOffset",
    inputs: [f32(1, 4, 5, 3)],
    f: (t, x) => [
      t.image.rotateWithOffset(x, 0.7),
      t.image.rotateWithOffset(x, -1.2, 5, [0.3, 0.6]),
      t.image.rotateWithOffset(x, 2, [1, 2, 3]),
    ],
  },
  {
    name: "image.transform",
    inputs: [f32(1, 4, 5, 2), floats([1.1, 0.2, -1.5, -0.3, 0.9, 2.2, 0.01, -0.02], [1, 8])],
    f: (t, x, m) => [
      t.image.transform(x, m),
      t.image.transform(x, m, "bilinear", "reflect", 0.5),
      t.image.transform(x, m, "nearest", "wrap"),
      t.image.transform(x, m, "bilinear", "nearest", 0, [3, 6]),
    ],
  },
  {
    name: "image.threshold",
    inputs: [{ shape: [4, 5, 3], kind: "int", values: Array.from({ length: 60 }, (_, i) => (i * 37) % 256) }],
    f: (t, x) => [t.image.threshold(x), t.image.threshold(x, "binary", true, 0.3), t.image.threshold(x, "otsu")],
  },
  {
    name: "image.nonMaxSuppression",
    inputs: [
      floats([0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, -0.1, 1, 0.9, 0, 10, 1, 11, 0, 10.1, 1, 11.1, 0, 100, 1, 101], [6, 4]),
      floats([0.9, 0.75, 0.6, 0.95, 0.5, 0.3]),
    ],
    f: (t, b, s) => [
      t.image.nonMaxSuppression(b, s, 3, 0.5),
      t.image.nonMaxSuppression(b, s, 6, 0.5, 0.4),
      t.image.nonMaxSuppressionWithScore(b, s, 6, 1.0, 0, 0.5),
      t.image.nonMaxSuppressionPadded(b, s, 8, 0.5, 0, true),
    ],
  },
  // tf.signal
  {
    name: "signal windows",
    inputs: [],
    f: (t) => [t.signal.hannWindow(7), t.signal.hannWindow(8), t.signal.hammingWindow(5)],
  },
  {
    name: "signal.frame",
    inputs: [f32(10)],
    f: (t, s) => [t.signal.frame(s, 4, 3), t.signal.frame(s, 4, 3, true, 9), t.signal.frame(s, 3, 5, true)],
  },
  { name: "signal.frame grad", inputs: [f32(7)], f: (t, s) => t.signal.frame(s, 3, 2), grad: true },
  // tf.sparse
  {
    name: "sparse.sparseFillEmptyRows",
    inputs: [ints([0, 0, 1, 0, 1, 3, 2, 0, 3, 1], [5, 2]), floats([0, 10, 13, 14, 32]), ints([5, 6])],
    f: (t, i, v, s) => t.sparse.sparseFillEmptyRows(i, v, s, -1),
  },
  {
    name: "sparse.sparseReshape",
    inputs: [ints([0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 2, 3], [5, 3]), ints([2, 3, 6]), ints([9, -1])],
    f: (t, i, s, n) => t.sparse.sparseReshape(i, s, n),
  },
  {
    name: "sparse segment sum/mean",
    inputs: [f32(4, 3), ints([0, 1, 3, 2]), ints([0, 0, 2, 2])],
    f: (t, d, i, s) => [t.sparse.sparseSegmentSum(d, i, s), t.sparse.sparseSegmentMean(d, i, s)],
    grad: true,
    noTfjsGrad: "TF.js has no gradient for sparse segment reductions",
  },
  // fused ops
  {
    name: "fused.matMul",
    inputs: [f32(2, 3), f32(3, 4), f32(4)],
    f: (t, a, b, c) => [
      t.fused.matMul({ a, b, bias: c, activation: "relu" }),
      t.fused.matMul({ a, b, transposeB: false, activation: "elu" }),
      t.fused.matMul({ a, b, bias: c, activation: "leakyrelu", leakyreluAlpha: 0.3 }),
    ],
  },
  {
    name: "fused.matMul grad",
    inputs: [f32(2, 3), f32(3, 2), f32(2)],
    f: (t, a, b, c) => t.fused.matMul({ a, b, bias: c, activation: "sigmoid" }),
    grad: true,
  },
  {
    name: "fused.conv2d / depthwiseConv2d",
    inputs: [f32(1, 4, 4, 2), f32(2, 2, 2, 3), f32(3), f32(2, 2, 2, 1), f32(2)],
    f: (t, x, w, b, dw, db) => [
      t.fused.conv2d({ x, filter: w, strides: 1, pad: "same", bias: b, activation: "relu6" }),
      t.fused.depthwiseConv2d({ x, filter: dw, strides: 1, pad: "valid", bias: db, activation: "sigmoid" }),
    ],
  },
  // tf.math, ranked spellings, cells, small utilities
  {
    name: "math.confusionMatrix",
    inputs: [ints([0, 1, 2, 1, 0]), ints([0, 2, 2, 1, 1])],
    f: (t, l, p) => t.math.confusionMatrix(l, p, 3),
  },
  {
    name: "ranked concat/slice/reverse/pad",
    inputs: [f32(2, 3), f32(2, 3)],
    f: (t, a, b) => [
      t.concat2d([a, b], 1),
      t.slice2d(a, [0, 1], [2, 2]),
      t.reverse2d(a, 1),
      t.pad2d(
        a,
        [
          [1, 0],
          [0, 2],
        ],
        3,
      ),
      t.concat1d([t.reshape(a, [6]), t.reshape(b, [6])]),
      t.pad1d(t.reshape(a, [6]), [1, 1]),
      t.slice1d(t.reshape(a, [6]), 2, 3),
      t.reverse1d(t.reshape(a, [6])),
    ],
  },
  {
    name: "batchNorm2d",
    inputs: [f32(3, 2), f32(2), pos(2), f32(2), f32(2)],
    f: (t, x, m, v, o, s) => t.batchNorm2d(x, m, v, o, s, 0.01),
    grad: true,
  },
  {
    name: "basicLSTMCell",
    inputs: [f32(2, 3), f32(2, 2), f32(2, 2), f32(5, 8), f32(8)],
    f: (t, data, c, h, kernel, bias) => t.basicLSTMCell(1, kernel, bias, data, c, h),
    grad: true,
  },
  {
    name: "multiRNNCell",
    inputs: [f32(2, 3), f32(5, 8), f32(8), f32(4, 8), f32(8), f32(2, 2), f32(2, 2)],
    f: (t, data, k1, b1, k2, b2, c, h) =>
      t.multiRNNCell(
        [
          (d: T, cc: T, hh: T) => t.basicLSTMCell(1, k1, b1, d, cc, hh),
          (d: T, cc: T, hh: T) => t.basicLSTMCell(1, k2, b2, d, cc, hh),
        ],
        data,
        [c, c],
        [h, h],
      ),
  },
  {
    name: "broadcastArgs / meshgrid",
    inputs: [ints([2, 1, 3]), ints([4, 1]), f32(3), f32(2)],
    f: (t, s0, s1, x, y) => [t.broadcastArgs(s0, s1), ...t.meshgrid(x, y), ...t.meshgrid(x, y, { indexing: "ij" })],
  },
  {
    name: "movingAverage",
    inputs: [f32(2, 2), f32(2, 2)],
    f: (t, v, x) => [t.movingAverage(v, x, 0.9, 3), t.movingAverage(v, x, 0.8, undefined, false)],
  },
  {
    name: "movingAverage grad",
    inputs: [f32(2, 2), f32(2, 2)],
    f: (t, v, x) => t.movingAverage(v, x, 0.9, 3),
    grad: true,
  },
  // ragged tensors
  {
    name: "raggedRange",
    inputs: [floats([0, 5, 8]), floats([3, 8, 2]), floats([1, 1, -2])],
    f: (t, s, l, d) => [t.raggedRange(s, l, d), t.raggedRange(t.cast(s, "int32"), 9, 2)],
  },
  {
    name: "raggedGather",
    inputs: [ints([0, 2, 2, 5]), ints([0, 1, 4, 6, 6, 7]), f32(7, 2)],
    f: (t, s0, s1, v) => [
      t.raggedGather([s0], t.slice(v, [0, 0], [5, 2]), t.tensor([2, 0, 2], [3], "int32"), 1),
      t.raggedGather([s0], t.slice(v, [0, 0], [5, 2]), t.tensor([2, 0, 1, 2], [2, 2], "int32"), 2),
      t.raggedGather([s0, s1], v, t.tensor([1, 2], [2], "int32"), 2),
    ],
  },
  {
    name: "raggedGather grad",
    inputs: [ints([0, 2, 2, 5]), f32(5)],
    f: (t, s, v) => t.raggedGather([s], v, t.tensor([2, 0, 2], [3], "int32"), 1).outputDenseValues,
    grad: true,
  },
  {
    name: "raggedTensorToTensor",
    inputs: [ints([0, 2, 2, 5]), ints([0, 0, 2, 2, 2]), f32(5), f32(3, 2)],
    f: (t, splits, rowIds, v, v2) => [
      t.raggedTensorToTensor([-1, -1], v, 0, [splits], ["ROW_SPLITS"]),
      t.raggedTensorToTensor([2, 2], v, -1, [splits], ["ROW_SPLITS"]),
      t.raggedTensorToTensor([4, -1], v, 9, [t.scalar(4, "int32"), rowIds], ["FIRST_DIM_SIZE", "VALUE_ROWIDS"]),
      t.raggedTensorToTensor([-1, -1, 2], v2, 0, [t.tensor([0, 1, 1, 3], [4], "int32")], ["ROW_SPLITS"]),
    ],
  },
  // chained methods
  {
    name: "chained methods",
    inputs: [f32(1, 4, 4, 4)],
    f: (_t, x) => [
      x.stridedSlice([0, 1, 0, 0], [1, 4, 4, 4], [1, 2, 1, 1]),
      x.mirrorPad(
        [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ],
        "reflect",
      ),
      x.resizeBilinear([3, 3]),
      x.resizeNearestNeighbor([2, 6]),
      x.depthToSpace(2),
      x.spaceToBatchND(
        [2, 2],
        [
          [0, 0],
          [0, 0],
        ],
      ),
      x.localResponseNormalization(1),
      x.pool([2, 2], "avg", "valid"),
      x.cumprod(2),
      x.asinh(),
      x.asin(),
      x.acos(),
      x.atan(),
      x.atan2(x.add(2)),
      x.tan(),
      x.sinh(),
      x.cosh(),
      x.logSigmoid(),
      x.step(0.1),
      x.euclideanNorm(3),
      x.as5D(1, 4, 4, 2, 2),
    ],
  },
];

/** Cases TF.js cannot run or gets wrong, against NumPy's `y[...]` for y = 2·sin(1.3·i + 0.5) over [3, 4, 5]. */
const numpyInput: Input = {
  shape: [3, 4, 5],
  values: Array.from({ length: 60 }, (_, i) => 2 * Math.sin(1.3 * i + 0.5)),
};
const numpyCases: { name: string; f: (x: tf.Tensor) => tf.Tensor; shape: number[]; values: number[] }[] = [
  {
    name: "y[1, :, 3:1:-1] (shrink with a negative stride)",
    f: (x) => tf.stridedSlice(x, [1, 0, 3], [2, 0, 1], [1, 1, -1], 2, 2, 0, 0, 1),
    shape: [4, 2],
    values: [-1.699938, -1.469999, -1.433474, -1.727315, -1.099888, -1.903749, -0.7148, -1.991041],
  },
  {
    name: "y[2, ::-2, -1]",
    f: (x) => tf.stridedSlice(x, [2, 0, -1], [3, 0, 0], [1, -2, 1], 2, 2, 0, 0, 5),
    shape: [2],
    values: [1.946885, 1.959074],
  },
  {
    name: "y[..., None, 1:4:2]",
    f: (x) => tf.stridedSlice(x, [0, 0, 1], [0, 0, 4], [1, 1, 2], 0, 0, 1, 2),
    shape: [3, 4, 1, 2],
    values: [
      1.947695, -1.903204, 1.804344, -1.990873, 1.576504, -1.985319, 1.274845, -1.886803, 0.913492, -1.699938, 0.509365,
      -1.433474, 0.081387, -1.099888, -0.350403, -0.7148, -0.765784, -0.296241, -1.145308, 0.136188, -1.471203,
      0.562241, -1.72821, 0.961967,
    ],
  },
  {
    name: "y[-1:-4:-1, 3, ::2]",
    f: (x) => tf.stridedSlice(x, [-1, 3, 0], [-4, 4, 0], [-1, 1, 2], 4, 4, 0, 0, 2),
    shape: [3, 3],
    values: [0.507647, -1.432235, 1.946885, 1.803577, -1.991041, 1.608625, 1.825891, -1.143851, 0.134416],
  },
];

interface Reference {
  values: { shape: number[]; dtype: string; data: number[] }[];
  grads?: { shape: number[]; data: number[] }[];
}

/** The float inputs a gradient is taken with respect to. */
const floatInputs = (c: Case) =>
  c.inputs
    .map((inp, i) => (inp.kind === "int" || inp.kind === "bool" || c.constants?.includes(i) ? -1 : i))
    .filter((i) => i >= 0);

/** `sum(Σ outputs · (1, 2, 3 …))`: a scalar in which every output element counts differently. */
function weightedSum(lib: Lib, r: T): T {
  return outputs(r)
    .map((o) => lib.sum(lib.mul(o, lib.add(lib.reshape(lib.range(0, o.size), o.shape), 1))))
    .reduce((a: T, b: T) => lib.add(a, b));
}

function gradsOf(lib: Lib, c: Case, xs: T[]): T[] {
  const idx = floatInputs(c);
  const f = (...fs: T[]) => {
    const args = xs.slice();
    idx.forEach((k, j) => (args[k] = fs[j]));
    return weightedSum(lib, c.f(lib, ...args));
  };
  return lib.grads(f)(idx.map((k) => xs[k]));
}

const references = new Map<string, Reference>();

beforeAll(async () => {
  await tfjs.setBackend("cpu");
  for (const c of cases) {
    const xs = c.inputs.map((inp, i) => make(tfjs, inp, i + 1));
    const values = outputs(c.f(tfjs, ...xs)).map((o: T) => ({
      shape: o.shape,
      dtype: o.dtype,
      data: Array.from(o.dataSync() as ArrayLike<number>),
    }));
    const ref: Reference = { values };
    if (c.grad && !c.noTfjsGrad) {
      // Some of these ops have no gradient in TF.js (stridedSlice, dilation2d …): finite differences only.
      try {
        ref.grads = gradsOf(tfjs, c, xs).map((g: T) => ({
          shape: g.shape,
          data: Array.from(g.dataSync() as ArrayLike<number>),
        }));
      } catch {
        ref.grads = undefined;
      }
    }
    references.set(c.name, ref);
  }
});

function compare(
  label: string,
  ours: tf.Tensor,
  theirs: { shape: number[]; data: number[]; dtype?: string },
  tol: number,
): void {
  expect(ours.shape, `${label}: shape`).toEqual(theirs.shape);
  if (theirs.dtype) expect(ours.dtype, `${label}: dtype`).toBe(theirs.dtype);
  const a = ours.dataSync();
  theirs.data.forEach((b, i) => {
    const same = Number.isNaN(b) ? Number.isNaN(a[i]) : Math.abs(a[i] - b) <= tol * Math.max(1, Math.abs(b));
    if (!same)
      throw new Error(
        `${label}: element ${i}: deepts ${a[i]} vs TF.js ${b}\n deepts [${Array.from(a)}]\n tfjs   [${theirs.data}]`,
      );
  });
}

/**
 * The gradients deepts computes on cpu (checked there by finite differences): what headlessgl's are
 * compared with, since finite differences on its software WebGL renderer take ten minutes for this file.
 */
function cpuGradients(c: Case, xs: tf.Tensor[]): { shape: number[]; data: number[] }[] {
  const previous = tf.getBackend();
  void tf.setBackend("cpu");
  try {
    return gradsOf(tf, c, xs).map((g: tf.Tensor) => ({ shape: g.shape, data: Array.from(g.dataSync()) }));
  } finally {
    void tf.setBackend(previous);
  }
}

forEachBackend(({ name, tol }) => {
  describe("ops from the API census against TF.js", () => {
    for (const c of cases) {
      it(c.name, () => {
        const ref = references.get(c.name)!;
        const xs = c.inputs.map((inp, i) => make(tf, inp, i + 1));
        const outs = outputs(c.f(tf, ...xs));
        expect(outs.length, "number of outputs").toBe(ref.values.length);
        const valueTol = Math.max(tol() * 20, 1e-5);
        outs.forEach((o, i) => compare(`${c.name} output ${i}`, o, ref.values[i], valueTol));
        if (!c.grad) return;
        if (ref.grads) {
          gradsOf(tf, c, xs).forEach((g: tf.Tensor, i: number) =>
            compare(`${c.name} gradient ${i}`, g, ref.grads![i], valueTol * 10),
          );
        }
        if (name === "headlessgl") {
          const reference = cpuGradients(c, xs);
          gradsOf(tf, c, xs).forEach((g: tf.Tensor, i: number) =>
            compare(`${c.name} gradient ${i} vs cpu`, g, reference[i], valueTol * 10),
          );
          return;
        }
        const idx = floatInputs(c);
        expectGradOk(
          (...fs: tf.Tensor[]) => {
            const args = xs.slice();
            idx.forEach((k, j) => (args[k] = fs[j]));
            return weightedSum(tf, c.f(tf, ...args));
          },
          idx.map((k) => xs[k]),
          5e-3,
        );
      });
    }
  });

  describe("strided slices TF.js cannot take, against NumPy", () => {
    for (const c of numpyCases) {
      it(c.name, () => {
        const x = make(tf, numpyInput, 0);
        expectValues(c.f(x), c.values, 1e-5, c.shape);
        if (name !== "headlessgl") expectGradOk((y) => c.f(y).square(), [x], 5e-3);
      });
    }
  });
});
