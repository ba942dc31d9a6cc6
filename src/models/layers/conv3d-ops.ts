/**
 * 3-D convolution, transposed convolution and pooling (channels-last, `[batch, depth, h, w, c]`),
 * composed from the runtime's 2-D ops: each depth tap is a 2-D op over the depth slices it reads,
 * stacked into the batch. Gradients come from the 2-D ops, gather/slice and reshape.
 */
import * as tf from "../core.js";
import type { PaddingMode } from "./common.js";

/** Padding before the first element along one axis for TF's 'same' (the rest goes after). */
function samePadding(length: number, window: number, stride: number): { out: number; before: number; after: number } {
  const out = Math.ceil(length / stride);
  const total = Math.max((out - 1) * stride + window - length, 0);
  const before = Math.floor(total / 2);
  return { out, before, after: total - before };
}

/** Rows `start, start+stride, …` (count of them) along axis 1. */
function takeDepth(x: tf.Tensor, start: number, stride: number, count: number): tf.Tensor {
  if (stride === 1) return tf.slice(x, [0, start, 0, 0, 0], [x.shape[0], count, ...x.shape.slice(2)]);
  const idx = tf.tensor(
    Int32Array.from({ length: count }, (_, i) => start + i * stride),
    [count],
    "int32",
  );
  return tf.gather(x, idx, 1);
}

/** `x`: [b, d, h, w, inC], `kernel`: [kd, kh, kw, inC, outC]. */
export function conv3d(
  x: tf.Tensor,
  kernel: tf.Tensor,
  strides: number[],
  pad: Exclude<PaddingMode, "causal">,
  dilations: number[],
): tf.Tensor {
  return tf.tidy(() => {
    const [batch, depth] = x.shape;
    const [kd, kh, kw, inC, outC] = kernel.shape;
    const effective = (kd - 1) * dilations[0] + 1;
    let xp = x;
    let outD: number;
    if (pad === "same") {
      const p = samePadding(depth, effective, strides[0]);
      outD = p.out;
      if (p.before + p.after > 0)
        xp = tf.pad(x, [
          [0, 0],
          [p.before, p.after],
          [0, 0],
          [0, 0],
          [0, 0],
        ]);
    } else {
      outD = Math.ceil((depth - effective + 1) / strides[0]);
    }
    if (outD <= 0) throw new Error(`conv3d: the kernel (depth ${effective}) is deeper than the input (${depth})`);
    let sum: tf.Tensor | undefined;
    for (let i = 0; i < kd; i++) {
      const slices = takeDepth(xp, i * dilations[0], strides[0], outD);
      const flat = tf.reshape(slices, [batch * outD, ...xp.shape.slice(2)]);
      const k2 = tf.reshape(tf.slice(kernel, [i, 0, 0, 0, 0], [1, kh, kw, inC, outC]), [kh, kw, inC, outC]);
      const y = tf.conv2d(flat, k2, [strides[1], strides[2]], pad, "NHWC", [dilations[1], dilations[2]]);
      sum = sum ? tf.add(sum, y) : y;
    }
    return tf.reshape(sum!, [batch, outD, ...sum!.shape.slice(1)]);
  });
}

/**
 * Transposed 3-D convolution. `x`: [b, d, h, w, inC], `kernel`: [kd, kh, kw, outC, inC];
 * `outputShape`: [b, outD, outH, outW, outC].
 */
export function conv3dTranspose(
  x: tf.Tensor,
  kernel: tf.Tensor,
  outputShape: number[],
  strides: number[],
  pad: Exclude<PaddingMode, "causal">,
): tf.Tensor {
  return tf.tidy(() => {
    const [batch, depth, h, w, inC] = x.shape;
    const [kd, kh, kw, outC] = kernel.shape;
    const [, outD, outH, outW] = outputShape;
    const sd = strides[0];
    const flat = tf.reshape(x, [batch * depth, h, w, inC]);
    const fullD = (depth - 1) * sd + kd;
    let full: tf.Tensor | undefined;
    for (let i = 0; i < kd; i++) {
      const k2 = tf.reshape(tf.slice(kernel, [i, 0, 0, 0, 0], [1, kh, kw, outC, inC]), [kh, kw, outC, inC]);
      let y = tf.conv2dTranspose(flat, k2, [batch * depth, outH, outW, outC], [strides[1], strides[2]], pad);
      y = tf.reshape(y, [batch, depth, outH, outW, outC]);
      if (sd > 1) {
        // Spread the slices `sd` apart: slot 0 of each group of sd holds a slice, the rest are zeros.
        const zeros = tf.zeros([batch, depth, sd - 1, outH, outW, outC]);
        y = tf.reshape(tf.concat([tf.expandDims(y, 2), zeros], 2), [batch, depth * sd, outH, outW, outC]);
        y = tf.slice(y, [0, 0, 0, 0, 0], [batch, (depth - 1) * sd + 1, outH, outW, outC]);
      }
      y = tf.pad(y, [
        [0, 0],
        [i, kd - 1 - i],
        [0, 0],
        [0, 0],
        [0, 0],
      ]);
      full = full ? tf.add(full, y) : y;
    }
    const before = pad === "same" ? Math.floor(Math.max(fullD - outD, 0) / 2) : 0;
    const available = Math.min(outD, fullD - before);
    let out = tf.slice(full!, [0, before, 0, 0, 0], [batch, available, outH, outW, outC]);
    if (available < outD)
      out = tf.pad(out, [
        [0, 0],
        [0, outD - available],
        [0, 0],
        [0, 0],
        [0, 0],
      ]);
    return out;
  });
}

/** 3-D max or average pooling (padding not counted in averages), as a 2-D pool over h·w then over depth. */
export function pool3d(
  x: tf.Tensor,
  mode: "max" | "avg",
  poolSize: number[],
  strides: number[],
  pad: Exclude<PaddingMode, "causal">,
): tf.Tensor {
  return tf.tidy(() => {
    const [batch, depth, h, w, c] = x.shape;
    const pool = mode === "max" ? tf.maxPool : tf.avgPool;
    const planes = pool(
      tf.reshape(x, [batch * depth, h, w, c]),
      [poolSize[1], poolSize[2]],
      [strides[1], strides[2]],
      pad,
    );
    const [, oh, ow] = planes.shape;
    const columns = tf.reshape(planes, [batch, depth, oh * ow, c]);
    const pooled = pool(columns, [poolSize[0], 1], [strides[0], 1], pad);
    return tf.reshape(pooled, [batch, pooled.shape[1], oh, ow, c]);
  });
}
