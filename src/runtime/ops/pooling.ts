/**
 * Window ops composed from the pooling and slicing primitives: pool (with dilations),
 * maxPoolWithArgmax, dilation2d (grey-scale morphological dilation), localResponseNormalization.
 */
import { getEngine } from "../engine.js";
import type { Pool2DAttrs } from "../kernels.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { add, div, mul, pow } from "./arithmetic.js";
import { convert } from "./convert.js";
import { avgPool, maxPool } from "./conv.js";
import { matMul } from "./linalg.js";
import { pair, resolvePad, type PaddingArg } from "./padding.js";
import { maxPoolArgmax } from "./pool-argmax.js";
import { max } from "./reduction.js";
import { cast, pad as padOp, reshape, slice, stack } from "./shape.js";
import { batchToSpaceND, spaceToBatchND } from "./space.js";
import { stridedSlice } from "./indexing.js";
import { square } from "./unary.js";
import { shapeStr } from "./util.js";

function as4D(op: string, x: TensorLike): [Tensor, boolean] {
  let t = convert(x, "x", op);
  if (t.dtype !== "float32") t = cast(t, "float32");
  if (t.rank === 3) return [reshape(t, [1, ...t.shape]), true];
  if (t.rank !== 4)
    throw new Error(`${op}: input must be rank 4 [batch, height, width, channels] (or 3), got ${shapeStr(t.shape)}`);
  return [t, false];
}

/**
 * Max or average pooling with optional `dilations` (gaps between window taps; then `strides` must be 1),
 * done as spaceToBatchND → pooling → batchToSpaceND as in TF.
 * Example: `tf.pool(x, [2, 2], "max", "same", 2)`.
 */
export function pool(
  input: TensorLike,
  windowShape: number | [number, number],
  poolingType: "avg" | "max",
  pad: PaddingArg,
  dilations: number | [number, number] = [1, 1],
  strides: number | [number, number] = 1,
  dimRoundingMode?: "floor" | "round" | "ceil",
): Tensor {
  void dimRoundingMode; // padding is resolved exactly; TF.js only uses this for fractional numeric padding
  if (poolingType !== "avg" && poolingType !== "max") {
    throw new Error(`pool: poolingType must be 'avg' or 'max', got '${String(poolingType)}'`);
  }
  const [x4, squeezed] = as4D("pool", input);
  const win = pair("pool", "windowShape", windowShape);
  const d = pair("pool", "dilations", dilations);
  const s = pair("pool", "strides", strides);
  const padArg = pad === 0 ? "valid" : pad;
  const run = (x: Tensor, p: PaddingArg) => (poolingType === "avg" ? avgPool(x, win, s, p) : maxPool(x, win, s, p));
  let y: Tensor;
  if (d[0] === 1 && d[1] === 1) {
    y = run(x4, padArg);
  } else {
    if (s[0] !== 1 || s[1] !== 1) throw new Error("pool: strides must be 1 when dilations are > 1");
    if (padArg !== "same" && padArg !== "valid")
      throw new Error("pool: dilated pooling takes 'same' or 'valid' padding");
    // Padding of the dilated window (for 'same'), then extra end padding to a multiple of the dilation.
    const base = win.map((f, i) => {
      if (padArg !== "same") return [0, 0];
      const extra = (f - 1) * d[i];
      return [Math.floor(extra / 2), extra - Math.floor(extra / 2)];
    });
    const padding = base.map(([start, end], i) => {
      const full = x4.shape[i + 1] + start + end;
      return [start, end + ((d[i] - (full % d[i])) % d[i])];
    });
    const crops = base.map(([, end], i) => [0, padding[i][1] - end]);
    y = batchToSpaceND(run(spaceToBatchND(x4, d, padding), "valid"), d, crops);
  }
  return squeezed ? reshape(y, y.shape.slice(1)) : y;
}

/**
 * Max pooling and, for each output, the flat index of the input it came from (int32):
 * `(y·width + x)·channels + c`, plus `b·height·width·channels` with `includeBatchInIndex`.
 * Example: `const { result, indexes } = tf.maxPoolWithArgmax(x, 2, 2, "valid")`.
 */
export function maxPoolWithArgmax(
  x: TensorLike,
  filterSize: number | [number, number],
  strides: number | [number, number],
  pad: PaddingArg,
  includeBatchInIndex = false,
): { result: Tensor; indexes: Tensor } {
  const [x4, squeezed] = as4D("maxPoolWithArgmax", x);
  const fs = pair("maxPoolWithArgmax", "filterSize", filterSize);
  const s = pair("maxPoolWithArgmax", "strides", strides);
  const { pad: p, outH, outW } = resolvePad("maxPoolWithArgmax", pad, x4.shape[1], x4.shape[2], fs[0], fs[1], s);
  const attrs: Pool2DAttrs = { filterSize: fs, strides: s, pad: p };
  const outShape = [x4.shape[0], outH, outW, x4.shape[3]];
  const idx = maxPoolArgmax(x4, attrs, outShape);
  if (!includeBatchInIndex) {
    const perBatch = x4.shape[1] * x4.shape[2] * x4.shape[3];
    for (let i = 0; i < idx.length; i++) idx[i] %= perBatch;
  }
  const result = maxPool(x4, fs, s, pad);
  const indexes = getEngine().makeTensor(idx, outShape, "int32");
  if (!squeezed) return { result, indexes };
  return { result: reshape(result, outShape.slice(1)), indexes: reshape(indexes, outShape.slice(1)) };
}

/**
 * Grey-scale dilation: the maximum of `x + filter` over each (dilated) window, per channel.
 * `x`: `[batch, h, w, c]` (or 3-D); `filter`: `[fh, fw, c]`. Example: `tf.dilation2d(img, se, 1, "same")`.
 */
export function dilation2d(
  x: TensorLike,
  filter: TensorLike,
  strides: number | [number, number],
  pad: "same" | "valid",
  dilations: number | [number, number] = [1, 1],
  dataFormat: "NHWC" = "NHWC",
): Tensor {
  if (dataFormat !== "NHWC") throw new Error(`dilation2d: only dataFormat 'NHWC' is supported, got '${dataFormat}'`);
  const [x4, squeezed] = as4D("dilation2d", x);
  let f = convert(filter, "filter", "dilation2d");
  if (f.dtype !== "float32") f = cast(f, "float32");
  if (f.rank !== 3) throw new Error(`dilation2d: filter must be rank 3 [fh, fw, c], got ${shapeStr(f.shape)}`);
  if (f.shape[2] !== x4.shape[3]) {
    throw new Error(`dilation2d: input and filter depths differ: ${x4.shape[3]} vs ${f.shape[2]}`);
  }
  const s = pair("dilation2d", "strides", strides);
  const d = pair("dilation2d", "dilations", dilations);
  const [fh, fw] = f.shape;
  const effH = (fh - 1) * d[0] + 1;
  const effW = (fw - 1) * d[1] + 1;
  const { pad: p, outH, outW } = resolvePad("dilation2d", pad, x4.shape[1], x4.shape[2], effH, effW, s);
  const [b, , , c] = x4.shape;
  const padded = padOp(
    x4,
    [
      [0, 0],
      [p.top, p.bottom],
      [p.left, p.right],
      [0, 0],
    ],
    -Infinity,
  );
  const taps: Tensor[] = [];
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const y0 = i * d[0];
      const x0 = j * d[1];
      const window = stridedSlice(
        padded,
        [0, y0, x0, 0],
        [b, y0 + (outH - 1) * s[0] + 1, x0 + (outW - 1) * s[1] + 1, c],
        [1, s[0], s[1], 1],
      );
      taps.push(add(window, reshape(slice(f, [i, j, 0], [1, 1, c]), [c])));
    }
  }
  const y = max(stack(taps, 3), 3);
  return squeezed ? reshape(y, y.shape.slice(1)) : y;
}

/**
 * Local response normalisation across channels: `x / (bias + alpha·Σ x²)^beta`, the sum over the
 * `2·depthRadius + 1` neighbouring channels. Example: `tf.localResponseNormalization(x, 2, 1, 1e-4, 0.75)`.
 */
export function localResponseNormalization(x: TensorLike, depthRadius = 5, bias = 1, alpha = 1, beta = 0.5): Tensor {
  const [x4, squeezed] = as4D("localResponseNormalization", x);
  if (!Number.isInteger(depthRadius) || depthRadius < 0) {
    throw new Error(`localResponseNormalization: depthRadius must be a non-negative integer, got ${depthRadius}`);
  }
  const c = x4.shape[3];
  // Σ over neighbouring channels as a product with a band of ones.
  const band = new Float32Array(c * c);
  for (let i = 0; i < c; i++)
    for (let j = Math.max(0, i - depthRadius); j <= Math.min(c - 1, i + depthRadius); j++) band[i * c + j] = 1;
  const sums = reshape(matMul(reshape(square(x4), [-1, c]), getEngine().makeTensor(band, [c, c], "float32")), x4.shape);
  const y = div(x4, pow(add(bias, mul(alpha, sums)), beta));
  return squeezed ? reshape(y, y.shape.slice(1)) : y;
}
