/**
 * Image resizing (nearest neighbour and bilinear, `[batch, h, w, c]`) composed from gathers, with
 * TF.js's sampling rules (`alignCorners`, `halfPixelCenters`), so resized values match TF.js's.
 * Differentiable through gather.
 */
import * as tf from "../core.js";

interface Sampling {
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

function ratio(inSize: number, outSize: number, alignCorners: boolean): number {
  const aligned = alignCorners && outSize > 1;
  return (aligned ? inSize - 1 : inSize) / (aligned ? outSize - 1 : outSize);
}

function indexTensor(values: number[]): tf.Tensor {
  return tf.tensor(Int32Array.from(values), [values.length], "int32");
}

/** Nearest source index per output position along one axis. */
function nearestIndices(inSize: number, outSize: number, s: Sampling): number[] {
  const r = ratio(inSize, outSize, s.alignCorners);
  return Array.from({ length: outSize }, (_, i) => {
    const src = s.halfPixelCenters ? r * (i + 0.5) : r * i;
    const idx = Math.min(inSize - 1, s.alignCorners ? Math.round(src) : Math.floor(src));
    return s.halfPixelCenters ? Math.max(0, idx) : idx;
  });
}

/** Lower/upper source index and weight of the upper one, per output position along one axis. */
function linearTaps(inSize: number, outSize: number, s: Sampling): { lo: number[]; hi: number[]; frac: number[] } {
  const r = ratio(inSize, outSize, s.alignCorners);
  const lo: number[] = [];
  const hi: number[] = [];
  const frac: number[] = [];
  for (let i = 0; i < outSize; i++) {
    const src = s.halfPixelCenters ? r * (i + 0.5) - 0.5 : r * i;
    const floor = Math.max(0, Math.floor(src));
    lo.push(floor);
    hi.push(Math.min(inSize - 1, Math.ceil(src)));
    frac.push(src - floor);
  }
  return { lo, hi, frac };
}

/** `a + (b − a)·frac` between the taps along `axis` (1: rows, 2: columns). */
function lerpAlong(x: tf.Tensor, axis: 1 | 2, taps: { lo: number[]; hi: number[]; frac: number[] }): tf.Tensor {
  const a = tf.gather(x, indexTensor(taps.lo), axis);
  const b = tf.gather(x, indexTensor(taps.hi), axis);
  const shape = axis === 1 ? [1, taps.frac.length, 1, 1] : [1, 1, taps.frac.length, 1];
  const f = tf.tensor(Float32Array.from(taps.frac), shape, "float32");
  return tf.add(a, tf.mul(tf.sub(b, a), f));
}

/** Resizes images `[batch, h, w, c]` to `[batch, size[0], size[1], c]` by nearest neighbour. */
export function resizeNearest(
  images: tf.Tensor,
  size: [number, number],
  alignCorners = false,
  halfPixelCenters = false,
): tf.Tensor {
  const s = { alignCorners, halfPixelCenters };
  return tf.tidy(() => {
    const rows = tf.gather(images, indexTensor(nearestIndices(images.shape[1], size[0], s)), 1);
    return tf.gather(rows, indexTensor(nearestIndices(images.shape[2], size[1], s)), 2);
  });
}

/** Resizes images `[batch, h, w, c]` to `[batch, size[0], size[1], c]` by bilinear interpolation. */
export function resizeBilinear(
  images: tf.Tensor,
  size: [number, number],
  alignCorners = false,
  halfPixelCenters = false,
): tf.Tensor {
  const s = { alignCorners, halfPixelCenters };
  return tf.tidy(() => {
    const x = images.dtype === "float32" ? images : tf.cast(images, "float32");
    // Columns first, then rows: the order TF.js's kernel interpolates in.
    const cols = lerpAlong(x, 2, linearTaps(x.shape[2], size[1], s));
    return lerpAlong(cols, 1, linearTaps(x.shape[1], size[0], s));
  });
}
