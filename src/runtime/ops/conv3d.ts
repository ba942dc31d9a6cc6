/**
 * Volumetric (NDHWC) convolution and pooling, built on the 2-D kernels: the depth window is unfolded
 * with one Gather (each output depth's taps side by side), then the height/width window runs as
 * conv2d / maxPool / avgPool. Gradients come from those ops.
 */
import { getEngine } from "../engine.js";
import { gradients } from "../tape.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { div, mul } from "./arithmetic.js";
import { convert } from "./convert.js";
import { avgPool, conv2d, maxPool } from "./conv.js";
import { zeros } from "./creation.js";
import { max, sum } from "./reduction.js";
import { cast, gather, pad, reshape, transpose } from "./shape.js";
import { shapeStr } from "./util.js";

type Triple = [number, number, number];

function triple(op: string, name: string, v: number | number[]): Triple {
  const t = typeof v === "number" ? [v, v, v] : v;
  if (!Array.isArray(t) || t.length !== 3 || t.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${op}: ${name} must be a positive integer or three of them, got ${JSON.stringify(v)}`);
  }
  return [t[0], t[1], t[2]];
}

function as5D(op: string, x: TensorLike): [Tensor, boolean] {
  let t = convert(x, "x", op);
  if (t.dtype !== "float32") t = cast(t, "float32");
  if (t.rank === 4) return [reshape(t, [1, ...t.shape]), true];
  if (t.rank !== 5)
    throw new Error(
      `${op}: input must be rank 5 [batch, depth, height, width, channels] (or 4), got ${shapeStr(t.shape)}`,
    );
  return [t, false];
}

function checkFormat(op: string, dataFormat: string): void {
  if (dataFormat !== "NDHWC") throw new Error(`${op}: only dataFormat 'NDHWC' is supported, got '${dataFormat}'`);
}

/** The depth window: output depth, front padding, and the input depth each (output, tap) reads (-1: padding). */
function depthWindow(
  op: string,
  depth: number,
  filterDepth: number,
  stride: number,
  dilation: number,
  pad: "same" | "valid",
): { outD: number; padFront: number; padBack: number; taps: number[] } {
  const eff = (filterDepth - 1) * dilation + 1;
  let outD: number;
  let padFront = 0;
  let padBack = 0;
  if (pad === "same") {
    outD = Math.ceil(depth / stride);
    const total = Math.max(0, (outD - 1) * stride + eff - depth);
    padFront = Math.floor(total / 2);
    padBack = total - padFront;
  } else if (pad === "valid") {
    outD = Math.floor((depth - eff) / stride) + 1;
  } else {
    throw new Error(`${op}: padding must be 'same' or 'valid', got ${JSON.stringify(pad)}`);
  }
  if (outD <= 0) throw new Error(`${op}: the depth window (${eff}) is larger than the input depth (${depth})`);
  const taps: number[] = [];
  for (let o = 0; o < outD; o++) for (let k = 0; k < filterDepth; k++) taps.push(o * stride + k * dilation);
  return { outD, padFront, padBack, taps };
}

/** `[b, d, h, w, c]` → `[b·outD, h, w, taps·c]`: each output depth's input slices side by side in channels. */
function unfoldDepth(
  x: Tensor,
  win: { outD: number; padFront: number; padBack: number; taps: number[] },
  fill: number,
  fd: number,
) {
  const [b, , h, w, c] = x.shape;
  const padded =
    win.padFront || win.padBack
      ? pad(
          x,
          [
            [0, 0],
            [win.padFront, win.padBack],
            [0, 0],
            [0, 0],
            [0, 0],
          ],
          fill,
        )
      : x;
  const idx = getEngine().makeTensor(Int32Array.from(win.taps), [win.taps.length], "int32");
  const picked = reshape(gather(padded, idx, 1), [b, win.outD, fd, h, w, c]);
  return picked;
}

/**
 * 3-D convolution. `x`: `[batch, depth, height, width, inC]` (NDHWC); `filter`: `[fd, fh, fw, inC, outC]`.
 * Example: `tf.conv3d(volume, kernel, 1, "same")`.
 */
export function conv3d(
  x: TensorLike,
  filter: TensorLike,
  strides: number | Triple,
  pad: "same" | "valid",
  dataFormat: "NDHWC" = "NDHWC",
  dilations: number | Triple = 1,
): Tensor {
  checkFormat("conv3d", dataFormat);
  const [x5, squeezed] = as5D("conv3d", x);
  let f = convert(filter, "filter", "conv3d");
  if (f.dtype !== "float32") f = cast(f, "float32");
  if (f.rank !== 5) throw new Error(`conv3d: filter must be rank 5 [fd, fh, fw, inC, outC], got ${shapeStr(f.shape)}`);
  const [fd, fh, fw, inC, outC] = f.shape;
  if (inC !== x5.shape[4]) {
    throw new Error(
      `conv3d: input channels differ: x ${shapeStr(x5.shape)} has ${x5.shape[4]}, filter ${shapeStr(f.shape)} expects ${inC}`,
    );
  }
  const s = triple("conv3d", "strides", strides);
  const d = triple("conv3d", "dilations", dilations);
  if (s.some((v) => v > 1) && d.some((v) => v > 1)) throw new Error("conv3d: strides and dilations cannot both be > 1");
  const [b, depth, h, w, c] = x5.shape;
  const win = depthWindow("conv3d", depth, fd, s[0], d[0], pad);
  const cols = reshape(transpose(unfoldDepth(x5, win, 0, fd), [0, 1, 3, 4, 2, 5]), [b * win.outD, h, w, fd * c]);
  const f2 = reshape(transpose(f, [1, 2, 0, 3, 4]), [fh, fw, fd * inC, outC]);
  const y = conv2d(cols, f2, [s[1], s[2]], pad, "NHWC", [d[1], d[2]]);
  const out = reshape(y, [b, win.outD, y.shape[1], y.shape[2], outC]);
  return squeezed ? reshape(out, out.shape.slice(1)) : out;
}

/**
 * Transposed 3-D convolution (conv3d's gradient with respect to its input), used to upsample volumes.
 * `filter`: `[fd, fh, fw, outC, inC]`; `outputShape`: `[batch, depth, height, width, outC]`.
 * Example: `tf.conv3dTranspose(x, filter, [1, 8, 8, 8, 4], 2, "same")`.
 */
export function conv3dTranspose(
  x: TensorLike,
  filter: TensorLike,
  outputShape: number[],
  strides: number | Triple,
  pad: "same" | "valid",
): Tensor {
  const [x5, squeezed] = as5D("conv3dTranspose", x);
  let f = convert(filter, "filter", "conv3dTranspose");
  if (f.dtype !== "float32") f = cast(f, "float32");
  const out = outputShape.length === 4 ? [1, ...outputShape] : outputShape.slice();
  if (f.rank !== 5 || out.length !== 5)
    throw new Error("conv3dTranspose: filter must be rank 5 and outputShape rank 5 (or 4)");
  if (f.shape[4] !== x5.shape[4] || f.shape[3] !== out[4]) {
    throw new Error(
      `conv3dTranspose: channels differ: x ${shapeStr(x5.shape)}, filter ${shapeStr(f.shape)}, outputShape ${shapeStr(out)}`,
    );
  }
  const probe = zeros(out);
  const expected = conv3d(probe, f, strides, pad).shape;
  if (expected.some((v, i) => v !== x5.shape[i])) {
    throw new Error(
      `conv3dTranspose: outputShape ${shapeStr(out)} does not match input ${shapeStr(x5.shape)} for these strides and padding`,
    );
  }
  // conv3d is linear in its input: its transpose applied to x is the gradient of ⟨conv3d(z), x⟩ in z.
  const { value, grads } = gradients(() => sum(mul(conv3d(probe, f, strides, pad), x5)), [probe]);
  value.dispose();
  const y = grads[0]!;
  return squeezed ? reshape(y, y.shape.slice(1)) : y;
}

function pool3dArgs(
  op: string,
  x: TensorLike,
  filterSize: number | Triple,
  strides: number | Triple,
  pad: "same" | "valid",
  dataFormat: string,
) {
  checkFormat(op, dataFormat);
  const [x5, squeezed] = as5D(op, x);
  const fs = triple(op, "filterSize", filterSize);
  const s = triple(op, "strides", strides);
  const win = depthWindow(op, x5.shape[1], fs[0], s[0], 1, pad);
  return { x5, squeezed, fs, s, win };
}

/**
 * Max over `filterSize` windows of a volume (NDHWC). Example: `tf.maxPool3d(x, 2, 2, "valid")`.
 */
export function maxPool3d(
  x: TensorLike,
  filterSize: number | Triple = [1, 1, 1],
  strides: number | Triple = 1,
  pad: "same" | "valid" = "valid",
  dimRoundingMode?: "floor" | "round" | "ceil",
  dataFormat: "NDHWC" = "NDHWC",
): Tensor {
  void dimRoundingMode; // only used by numeric padding, which volumes do not take
  const { x5, squeezed, fs, s, win } = pool3dArgs("maxPool3d", x, filterSize, strides, pad, dataFormat);
  const [b, , h, w, c] = x5.shape;
  const depthMax = max(unfoldDepth(x5, win, -Infinity, fs[0]), 2);
  const y = maxPool(reshape(depthMax, [b * win.outD, h, w, c]), [fs[1], fs[2]], [s[1], s[2]], pad);
  const out = reshape(y, [b, win.outD, y.shape[1], y.shape[2], c]);
  return squeezed ? reshape(out, out.shape.slice(1)) : out;
}

/**
 * Average over `filterSize` windows of a volume (NDHWC; padding not counted).
 * Example: `tf.avgPool3d(x, 2, 2, "same")`.
 */
export function avgPool3d(
  x: TensorLike,
  filterSize: number | Triple = [1, 1, 1],
  strides: number | Triple = 1,
  pad: "same" | "valid" = "valid",
  dimRoundingMode?: "floor" | "round" | "ceil",
  dataFormat: "NDHWC" = "NDHWC",
): Tensor {
  void dimRoundingMode; // only used by numeric padding, which volumes do not take
  const { x5, squeezed, fs, s, win } = pool3dArgs("avgPool3d", x, filterSize, strides, pad, dataFormat);
  const [b, depth, h, w, c] = x5.shape;
  // Real (non-padding) depth taps per output depth: the depth average divides by these.
  const counts = new Float32Array(win.outD);
  win.taps.forEach((t, i) => {
    const real = t - win.padFront;
    if (real >= 0 && real < depth) counts[Math.floor(i / fs[0])]++;
  });
  const depthSum = sum(unfoldDepth(x5, win, 0, fs[0]), 2);
  const depthMean = div(depthSum, getEngine().makeTensor(counts, [1, win.outD, 1, 1, 1], "float32"));
  const y = avgPool(reshape(depthMean, [b * win.outD, h, w, c]), [fs[1], fs[2]], [s[1], s[2]], pad);
  const out = reshape(y, [b, win.outD, y.shape[1], y.shape[2], c]);
  return squeezed ? reshape(out, out.shape.slice(1)) : out;
}
