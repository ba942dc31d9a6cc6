/**
 * `tf.image`: resizing, cropping, flipping, rotation, projective transforms, colour conversion,
 * thresholding and non-max suppression on NHWC images. Sampling positions and weights are computed
 * on the host; pixel values move through gather/matMul, so the results are differentiable with
 * respect to the image.
 */
import { getEngine } from "../engine.js";
import type { Tensor, TensorLike } from "../tensor.js";
import { add, mul } from "./arithmetic.js";
import { convert } from "./convert.js";
import { greater, lessEqual } from "./logical.js";
import { matMul } from "./linalg.js";
import { sum } from "./reduction.js";
import { cast, gather, reshape, reverse, tile, transpose } from "./shape.js";
import { shapeStr } from "./util.js";

function images4D(op: string, images: TensorLike): [Tensor, boolean] {
  const t = convert(images, "images", op);
  if (t.rank === 3) return [reshape(t, [1, ...t.shape]), true];
  if (t.rank !== 4)
    throw new Error(`${op}: images must be rank 4 [batch, height, width, channels] (or 3), got ${shapeStr(t.shape)}`);
  return [t, false];
}

function int32(values: ArrayLike<number>, shape: number[]): Tensor {
  return getEngine().makeTensor(Int32Array.from(values), shape, "int32");
}

function float32(values: ArrayLike<number>, shape: number[]): Tensor {
  return getEngine().makeTensor(Float32Array.from(values), shape, "float32");
}

function checkSize(op: string, size: number[]): [number, number] {
  if (!Array.isArray(size) || size.length !== 2 || size.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${op}: size must be [newHeight, newWidth] of positive integers, got ${JSON.stringify(size)}`);
  }
  return [size[0], size[1]];
}

function resizeScale(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
}

/** The `[outSize, inSize]` matrix of bilinear weights along one axis (TF's sampling convention). */
function bilinearWeights(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Tensor {
  const scale = resizeScale(inSize, outSize, alignCorners);
  const w = new Float32Array(outSize * inSize);
  for (let o = 0; o < outSize; o++) {
    const src = halfPixelCenters ? scale * (o + 0.5) - 0.5 : scale * o;
    const lo = Math.max(0, Math.floor(src));
    const hi = Math.min(inSize - 1, Math.ceil(src));
    const frac = src - lo;
    w[o * inSize + lo] += 1 - frac;
    w[o * inSize + hi] += frac;
  }
  return float32(w, [outSize, inSize]);
}

/** The checked arguments common to the resize ops: images as rank 4 and the new size. */
function resizeArgs(op: string, images: TensorLike, size: number[], alignCorners: boolean, halfPixelCenters: boolean) {
  const [x, squeezed] = images4D(op, images);
  const [newH, newW] = checkSize(op, size);
  if (alignCorners && halfPixelCenters) throw new Error(`${op}: halfPixelCenters and alignCorners cannot both be true`);
  return { x, squeezed, newH, newW };
}

/**
 * Bilinear resize of images `[batch, h, w, c]` (or `[h, w, c]`) to `size` `[newH, newW]`.
 * `alignCorners` maps corner pixels onto corner pixels; `halfPixelCenters` samples at pixel centres.
 * Example: `tf.image.resizeBilinear(img, [64, 64])`.
 */
export function resizeBilinear(
  images: TensorLike,
  size: number[],
  alignCorners = false,
  halfPixelCenters = false,
): Tensor {
  const { x, squeezed, newH, newW } = resizeArgs("resizeBilinear", images, size, alignCorners, halfPixelCenters);
  const [, h, w] = x.shape;
  const xf = x.dtype === "float32" ? x : cast(x, "float32");
  // Separable: rows then columns, each a product with a weight matrix.
  const channelsFirst = transpose(xf, [0, 3, 1, 2]);
  const rows = matMul(bilinearWeights(h, newH, alignCorners, halfPixelCenters), channelsFirst);
  const both = matMul(rows, bilinearWeights(w, newW, alignCorners, halfPixelCenters), false, true);
  const y = transpose(both, [0, 2, 3, 1]);
  return squeezed ? reshape(y, y.shape.slice(1)) : y;
}

function nearestIndices(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Tensor {
  const scale = resizeScale(inSize, outSize, alignCorners);
  const idx = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const src = halfPixelCenters ? scale * (o + 0.5) : scale * o;
    let i = Math.min(inSize - 1, alignCorners ? Math.round(src) : Math.floor(src));
    if (halfPixelCenters) i = Math.max(0, i);
    idx[o] = i;
  }
  return int32(idx, [outSize]);
}

/**
 * Nearest-neighbour resize of images to `size` `[newH, newW]` (same options as resizeBilinear).
 * Example: `tf.image.resizeNearestNeighbor(mask, [128, 128])`.
 */
export function resizeNearestNeighbor(
  images: TensorLike,
  size: number[],
  alignCorners = false,
  halfPixelCenters = false,
): Tensor {
  const { x, squeezed, newH, newW } = resizeArgs("resizeNearestNeighbor", images, size, alignCorners, halfPixelCenters);
  const [, h, w] = x.shape;
  const rows = gather(x, nearestIndices(h, newH, alignCorners, halfPixelCenters), 1);
  const y = gather(rows, nearestIndices(w, newW, alignCorners, halfPixelCenters), 2);
  return squeezed ? reshape(y, y.shape.slice(1)) : y;
}

/**
 * Output pixels as weighted sums of input pixels: `taps` (index into `[b·h·w]`, weight) per output
 * pixel, `k` taps each, plus a per-pixel-and-channel constant (fill values). Float32 result.
 */
function sample(
  x: Tensor,
  k: number,
  index: Int32Array,
  weight: Float32Array,
  constant: Float32Array | null,
  outShape: number[],
): Tensor {
  const c = x.shape[3];
  const pixels = index.length / k;
  const flat = reshape(x.dtype === "float32" ? x : cast(x, "float32"), [-1, c]);
  const picked = reshape(gather(flat, int32(index, [index.length]), 0), [pixels, k, c]);
  let y = sum(mul(picked, float32(weight, [pixels, k, 1])), 1);
  if (constant) y = add(y, float32(constant, [pixels, c]));
  return reshape(y, outShape);
}

/**
 * Crops `boxes` (`[n, 4]` of normalised `[y1, x1, y2, x2]`) out of `image` batch entries `boxInd`,
 * each resized to `cropSize` `[h, w]` (`method` 'bilinear' or 'nearest'); positions outside the
 * image take `extrapolationValue`. Example: `tf.image.cropAndResize(img, boxes, boxInd, [32, 32])`.
 */
export function cropAndResize(
  image: TensorLike,
  boxes: TensorLike,
  boxInd: TensorLike,
  cropSize: number[],
  method: "bilinear" | "nearest" = "bilinear",
  extrapolationValue = 0,
): Tensor {
  const x = convert(image, "image", "cropAndResize");
  const b = convert(boxes, "boxes", "cropAndResize");
  const bi = convert(boxInd, "boxInd", "cropAndResize", "int32");
  if (x.rank !== 4) throw new Error(`cropAndResize: image must be rank 4, got ${shapeStr(x.shape)}`);
  const n = b.shape[0];
  if (b.rank !== 2 || b.shape[1] !== 4)
    throw new Error(`cropAndResize: boxes must be [numBoxes, 4], got ${shapeStr(b.shape)}`);
  if (bi.rank !== 1 || bi.shape[0] !== n)
    throw new Error(`cropAndResize: boxInd must be [${n}], got ${shapeStr(bi.shape)}`);
  if (method !== "bilinear" && method !== "nearest")
    throw new Error(`cropAndResize: method must be 'bilinear' or 'nearest'`);
  const [ch, cw] = checkSize("cropAndResize", cropSize);
  const [batch, h, w, c] = x.shape;
  const bv = b.dataSync();
  const iv = bi.dataSync();
  const k = method === "bilinear" ? 4 : 1;
  const pixels = n * ch * cw;
  const index = new Int32Array(pixels * k);
  const weight = new Float32Array(pixels * k);
  const constant = new Float32Array(pixels * c);
  for (let m = 0; m < n; m++) {
    const [y1, x1, y2, x2] = [bv[4 * m], bv[4 * m + 1], bv[4 * m + 2], bv[4 * m + 3]];
    const bIdx = iv[m];
    if (bIdx < 0 || bIdx >= batch) throw new Error(`cropAndResize: boxInd ${bIdx} is out of range for batch ${batch}`);
    const hScale = ch > 1 ? ((y2 - y1) * (h - 1)) / (ch - 1) : 0;
    const wScale = cw > 1 ? ((x2 - x1) * (w - 1)) / (cw - 1) : 0;
    for (let yy = 0; yy < ch; yy++) {
      const ys = ch > 1 ? y1 * (h - 1) + yy * hScale : 0.5 * (y1 + y2) * (h - 1);
      for (let xx = 0; xx < cw; xx++) {
        const xs = cw > 1 ? x1 * (w - 1) + xx * wScale : 0.5 * (x1 + x2) * (w - 1);
        const p = (m * ch + yy) * cw + xx;
        const base = bIdx * h * w;
        if (ys < 0 || ys > h - 1 || xs < 0 || xs > w - 1) {
          constant.fill(extrapolationValue, p * c, (p + 1) * c);
          continue;
        }
        if (k === 1) {
          index[p] = base + Math.round(ys) * w + Math.round(xs);
          weight[p] = 1;
          continue;
        }
        const top = Math.floor(ys);
        const bottom = Math.ceil(ys);
        const left = Math.floor(xs);
        const right = Math.ceil(xs);
        const fy = ys - top;
        const fx = xs - left;
        const taps = [
          [top, left, (1 - fy) * (1 - fx)],
          [top, right, (1 - fy) * fx],
          [bottom, left, fy * (1 - fx)],
          [bottom, right, fy * fx],
        ];
        taps.forEach(([ty, tx, tw], j) => {
          index[p * 4 + j] = base + ty * w + tx;
          weight[p * 4 + j] = tw;
        });
      }
    }
  }
  return sample(x, k, index, weight, constant, [n, ch, cw, c]);
}

/** Mirrors images left to right. Example: `tf.image.flipLeftRight(batch)`. */
export function flipLeftRight(image: TensorLike): Tensor {
  const x = convert(image, "image", "flipLeftRight");
  if (x.rank !== 4) throw new Error(`flipLeftRight: image must be rank 4, got ${shapeStr(x.shape)}`);
  return reverse(x, 2);
}

/** A one-channel image as three equal channels. Example: `tf.image.grayscaleToRGB(gray)`. */
export function grayscaleToRGB(image: TensorLike): Tensor {
  const x = convert(image, "image", "grayscaleToRGB");
  if (x.rank < 2 || x.shape[x.rank - 1] !== 1) {
    throw new Error(`grayscaleToRGB: the last axis must have length 1 (rank >= 2), got ${shapeStr(x.shape)}`);
  }
  return tile(x, [...x.shape.slice(0, -1).map(() => 1), 3]);
}

/** An RGB image as one luminance channel (`0.2989·r + 0.5870·g + 0.1140·b`, in the image's dtype). Example: `tf.image.rgbToGrayscale(img)`. */
export function rgbToGrayscale(image: TensorLike): Tensor {
  const x = convert(image, "image", "rgbToGrayscale");
  if (x.rank < 2 || x.shape[x.rank - 1] !== 3) {
    throw new Error(`rgbToGrayscale: the last axis must have length 3 (rank >= 2), got ${shapeStr(x.shape)}`);
  }
  const coefficients = float32([0.2989, 0.587, 0.114], [3, 1]);
  const gray = matMul(reshape(cast(x, "float32"), [-1, 3]), coefficients);
  const y = reshape(gray, [...x.shape.slice(0, -1), 1]);
  return x.dtype === "float32" ? y : cast(y, x.dtype);
}

/**
 * Rotates images by `radians` around `center` (a fraction of width/height, or `[x, y]`), taking the
 * nearest source pixel; uncovered pixels get `fillValue` (a number, or `[r, g, b]` with alpha 255).
 * Example: `tf.image.rotateWithOffset(img, Math.PI / 4)`.
 */
export function rotateWithOffset(
  image: TensorLike,
  radians: number,
  fillValue: number | [number, number, number] = 0,
  center: number | [number, number] = 0.5,
): Tensor {
  const x = convert(image, "image", "rotateWithOffset");
  if (x.rank !== 4) throw new Error(`rotateWithOffset: image must be rank 4, got ${shapeStr(x.shape)}`);
  const [batch, h, w, c] = x.shape;
  const cx = w * (typeof center === "number" ? center : center[0]);
  const cy = h * (typeof center === "number" ? center : center[1]);
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  const fillFor = (ch: number) => (typeof fillValue === "number" ? fillValue : ch === 3 ? 255 : fillValue[ch]);
  const pixels = batch * h * w;
  const index = new Int32Array(pixels);
  const weight = new Float32Array(pixels);
  const constant = new Float32Array(pixels * c);
  for (let b = 0; b < batch; b++) {
    for (let row = 0; row < h; row++) {
      for (let col = 0; col < w; col++) {
        const p = (b * h + row) * w + col;
        const sx = Math.round((col - cx) * cos - (row - cy) * sin + cx);
        const sy = Math.round((col - cx) * sin + (row - cy) * cos + cy);
        if (sx >= 0 && sx < w && sy >= 0 && sy < h) {
          index[p] = (b * h + sy) * w + sx;
          weight[p] = 1;
        } else {
          for (let ch = 0; ch < c; ch++) constant[p * c + ch] = fillFor(ch);
        }
      }
    }
  }
  const y = sample(x, 1, index, weight, constant, x.shape.slice());
  return x.dtype === "float32" ? y : cast(y, x.dtype);
}

function mapCoordinate(v: number, len: number, mode: string): number {
  if (mode === "nearest") return Math.min(Math.max(v, 0), len - 1);
  if (mode !== "reflect" && mode !== "wrap") return v;
  if (len <= 1) return 0;
  let u = v;
  if (mode === "reflect") {
    // [abcd] repeats as dcba|abcd|dcba.
    const period = 2 * len;
    if (u < 0) {
      if (u < period) u += period * Math.trunc(-u / period);
      u = u < -len ? u + period : -u - 1;
    } else if (u > len - 1) {
      u -= period * Math.trunc(u / period);
      if (u >= len) u = period - u - 1;
    }
  } else if (u < 0) {
    u += len * (Math.trunc(-u / (len - 1)) + 1);
  } else if (u > len - 1) {
    u -= len * Math.trunc(u / (len - 1));
  }
  return Math.min(Math.max(u, 0), len - 1);
}

/**
 * Applies projective transforms `[a0, a1, a2, b0, b1, b2, c0, c1]` (one, or one per image) mapping
 * output (x, y) to input `((a0·x + a1·y + a2) / k, (b0·x + b1·y + b2) / k)` with `k = c0·x + c1·y + 1`.
 * `fillMode` 'constant' | 'reflect' | 'wrap' | 'nearest' says how positions outside are read.
 * Example: `tf.image.transform(img, tf.tensor2d([[1, 0, -2, 0, 1, 0, 0, 0]]))` shifts right by 2.
 */
export function transform(
  image: TensorLike,
  transforms: TensorLike,
  interpolation: "nearest" | "bilinear" = "nearest",
  fillMode: "constant" | "reflect" | "wrap" | "nearest" = "constant",
  fillValue = 0,
  outputShape?: [number, number],
): Tensor {
  const x = convert(image, "image", "transform");
  const tr = convert(transforms, "transforms", "transform");
  if (x.rank !== 4) throw new Error(`transform: image must be rank 4, got ${shapeStr(x.shape)}`);
  const [batch, h, w, c] = x.shape;
  if (tr.rank !== 2 || tr.shape[1] !== 8 || (tr.shape[0] !== 1 && tr.shape[0] !== batch)) {
    throw new Error(`transform: transforms must be [1, 8] or [${batch}, 8], got ${shapeStr(tr.shape)}`);
  }
  if (interpolation !== "nearest" && interpolation !== "bilinear") {
    throw new Error(`transform: interpolation must be 'nearest' or 'bilinear', got '${String(interpolation)}'`);
  }
  const [outH, outW] = outputShape ?? [h, w];
  const tv = tr.dataSync();
  const k = interpolation === "bilinear" ? 4 : 1;
  const pixels = batch * outH * outW;
  const index = new Int32Array(pixels * k);
  const weight = new Float32Array(pixels * k);
  const constant = new Float32Array(pixels * c);
  for (let b = 0; b < batch; b++) {
    const t = tr.shape[0] === 1 ? tv.subarray(0, 8) : tv.subarray(b * 8, b * 8 + 8);
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const p = (b * outH + oy) * outW + ox;
        let filled = 0;
        const tap = (j: number, yy: number, xx: number, wt: number) => {
          if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
            index[p * k + j] = (b * h + yy) * w + xx;
            weight[p * k + j] = wt;
          } else {
            filled += wt;
          }
        };
        const projection = t[6] * ox + t[7] * oy + 1;
        if (projection === 0) {
          filled = 1;
        } else {
          const sx = mapCoordinate((t[0] * ox + t[1] * oy + t[2]) / projection, w, fillMode);
          const sy = mapCoordinate((t[3] * ox + t[4] * oy + t[5]) / projection, h, fillMode);
          if (k === 1) {
            tap(0, Math.round(sy), Math.round(sx), 1);
          } else {
            const y0 = Math.floor(sy);
            const x0 = Math.floor(sx);
            tap(0, y0, x0, (y0 + 1 - sy) * (x0 + 1 - sx));
            tap(1, y0, x0 + 1, (y0 + 1 - sy) * (sx - x0));
            tap(2, y0 + 1, x0, (sy - y0) * (x0 + 1 - sx));
            tap(3, y0 + 1, x0 + 1, (sy - y0) * (sx - x0));
          }
        }
        if (filled !== 0) constant.fill(filled * fillValue, p * c, (p + 1) * c);
      }
    }
  }
  const y = sample(x, k, index, weight, constant, [batch, outH, outW, c]);
  return x.dtype === "float32" ? y : cast(y, x.dtype);
}

/**
 * Binarises a `[h, w, 3]` or `[h, w, 1]` image (values 0–255): 255 where its luminance is above
 * `threshValue·255` (`method` 'binary') or above Otsu's threshold (`'otsu'`), 0 elsewhere (`inverted`
 * swaps them); int32 `[h, w, 1]`. Example: `tf.image.threshold(img, "otsu")`.
 */
export function threshold(
  image: TensorLike,
  method: "binary" | "otsu" = "binary",
  inverted = false,
  threshValue = 0.5,
): Tensor {
  const x = convert(image, "image", "threshold");
  if (x.rank !== 3 || (x.shape[2] !== 3 && x.shape[2] !== 1)) {
    throw new Error(`threshold: image must be [height, width, 3] or [height, width, 1], got ${shapeStr(x.shape)}`);
  }
  if (method !== "binary" && method !== "otsu") throw new Error(`threshold: method must be 'binary' or 'otsu'`);
  const gray = x.shape[2] === 3 ? rgbToGrayscale(cast(x, "float32")) : cast(x, "float32");
  let level = threshValue * 255;
  if (method === "otsu") level = otsuLevel(gray.dataSync(), x.shape[0] * x.shape[1]);
  const hit = inverted ? lessEqual(gray, level) : greater(gray, level);
  return mul(cast(hit, "int32"), 255);
}

/** Otsu's threshold of 0–255 values: the split of their histogram with the largest between-class variance. */
function otsuLevel(values: ArrayLike<number>, total: number): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(values[i]);
    if (v >= 0 && v < 256) hist[v]++;
  }
  let best = -1;
  let bestVariance = 0;
  for (let split = 0; split < 255; split++) {
    let n1 = 0;
    let s1 = 0;
    let n2 = 0;
    let s2 = 0;
    for (let v = 0; v <= split; v++) {
      n1 += hist[v];
      s1 += v * hist[v];
    }
    for (let v = split + 1; v < 256; v++) {
      n2 += hist[v];
      s2 += v * hist[v];
    }
    const gap = s1 / n1 - s2 / n2;
    const variance = (n1 / total) * (n2 / total) * gap * gap;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = split;
    }
  }
  return best;
}

interface Candidate {
  score: number;
  box: number;
  /** Selections before this index have already been compared with this candidate. */
  checkedUpTo: number;
}

function iou(boxes: ArrayLike<number>, i: number, j: number): number {
  const a = [boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]];
  const b = [boxes[4 * j], boxes[4 * j + 1], boxes[4 * j + 2], boxes[4 * j + 3]];
  const [ay0, ay1] = [Math.min(a[0], a[2]), Math.max(a[0], a[2])];
  const [ax0, ax1] = [Math.min(a[1], a[3]), Math.max(a[1], a[3])];
  const [by0, by1] = [Math.min(b[0], b[2]), Math.max(b[0], b[2])];
  const [bx0, bx1] = [Math.min(b[1], b[3]), Math.max(b[1], b[3])];
  const areaA = (ay1 - ay0) * (ax1 - ax0);
  const areaB = (by1 - by0) * (bx1 - bx0);
  if (areaA <= 0 || areaB <= 0) return 0;
  const inter =
    Math.max(Math.min(ay1, by1) - Math.max(ay0, by0), 0) * Math.max(Math.min(ax1, bx1) - Math.max(ax0, bx0), 0);
  return inter / (areaA + areaB - inter);
}

/** Higher score first; equal scores: lower box index first. */
const before = (a: Candidate, b: Candidate) => b.score - a.score || a.box - b.box;

/**
 * Greedy (soft) non-max suppression: boxes in decreasing score order, each kept unless it overlaps a
 * kept box by `iou >= iouThreshold`; with `softNmsSigma > 0` overlaps below the threshold decay the
 * score by `exp(−iou² / (2σ))` instead of only suppressing.
 */
function suppress(
  op: string,
  boxesLike: TensorLike,
  scoresLike: TensorLike,
  maxOutputSize: number,
  iouThreshold: number,
  scoreThreshold: number,
  softNmsSigma: number,
): { indices: number[]; scores: number[]; limit: number } {
  const boxes = convert(boxesLike, "boxes", op);
  const scores = convert(scoresLike, "scores", op);
  const n = boxes.shape[0];
  if (boxes.rank !== 2 || boxes.shape[1] !== 4)
    throw new Error(`${op}: boxes must be [numBoxes, 4], got ${shapeStr(boxes.shape)}`);
  if (scores.rank !== 1 || scores.shape[0] !== n)
    throw new Error(`${op}: scores must be [${n}], got ${shapeStr(scores.shape)}`);
  if (!(iouThreshold >= 0 && iouThreshold <= 1))
    throw new Error(`${op}: iouThreshold must be in [0, 1], got ${iouThreshold}`);
  if (!Number.isInteger(maxOutputSize) || maxOutputSize < 0) {
    throw new Error(`${op}: maxOutputSize must be a non-negative integer, got ${maxOutputSize}`);
  }
  const limit = Math.min(maxOutputSize, n);
  const bv = boxes.dataSync();
  const sv = scores.dataSync();
  const scale = softNmsSigma > 0 ? -0.5 / softNmsSigma : 0;
  const queue: Candidate[] = [];
  for (let i = 0; i < n; i++) if (sv[i] > scoreThreshold) queue.push({ score: sv[i], box: i, checkedUpTo: 0 });
  queue.sort(before);
  const indices: number[] = [];
  const kept: number[] = [];
  while (indices.length < limit && queue.length > 0) {
    const cand = queue.shift()!;
    const original = cand.score;
    if (original < scoreThreshold) break;
    let dropped = false;
    for (let j = indices.length - 1; j >= cand.checkedUpTo; j--) {
      const overlap = iou(bv, cand.box, indices[j]);
      if (overlap >= iouThreshold) {
        dropped = true;
        break;
      }
      cand.score *= overlap <= iouThreshold ? Math.exp(scale * overlap * overlap) : 0;
      if (cand.score <= scoreThreshold) break;
    }
    cand.checkedUpTo = indices.length;
    if (dropped) continue;
    if (cand.score === original) {
      indices.push(cand.box);
      kept.push(cand.score);
    } else if (cand.score > scoreThreshold) {
      let at = 0;
      while (at < queue.length && before(queue[at], cand) <= 0) at++;
      queue.splice(at, 0, cand);
    }
  }
  return { indices, scores: kept, limit };
}

/**
 * Indices (int32) of the boxes kept by greedy non-max suppression, best score first: at most
 * `maxOutputSize`, skipping boxes with score ≤ `scoreThreshold` or overlapping a kept box by
 * IoU ≥ `iouThreshold`. `boxes`: `[n, 4]` corners `[y1, x1, y2, x2]`; `scores`: `[n]`.
 * Example: `tf.image.nonMaxSuppression(boxes, scores, 10, 0.5)`.
 */
export function nonMaxSuppression(
  boxes: TensorLike,
  scores: TensorLike,
  maxOutputSize: number,
  iouThreshold = 0.5,
  scoreThreshold = Number.NEGATIVE_INFINITY,
): Tensor {
  const { indices } = suppress("nonMaxSuppression", boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, 0);
  return int32(indices, [indices.length]);
}

/** `nonMaxSuppression`, resolved as a promise (TF.js's async form). Example: `await tf.image.nonMaxSuppressionAsync(boxes, scores, 10)`. */
export async function nonMaxSuppressionAsync(
  boxes: TensorLike,
  scores: TensorLike,
  maxOutputSize: number,
  iouThreshold = 0.5,
  scoreThreshold = Number.NEGATIVE_INFINITY,
): Promise<Tensor> {
  return nonMaxSuppression(boxes, scores, maxOutputSize, iouThreshold, scoreThreshold);
}

/**
 * Soft non-max suppression: like nonMaxSuppression, and with `softNmsSigma > 0` overlapping boxes
 * lose score (`·exp(−iou²/(2σ))`) instead of being dropped. Returns the kept indices and their scores.
 * Example: `const { selectedIndices, selectedScores } = tf.image.nonMaxSuppressionWithScore(b, s, 10, 0.5, 0, 0.5)`.
 */
export function nonMaxSuppressionWithScore(
  boxes: TensorLike,
  scores: TensorLike,
  maxOutputSize: number,
  iouThreshold = 0.5,
  scoreThreshold = Number.NEGATIVE_INFINITY,
  softNmsSigma = 0,
): { selectedIndices: Tensor; selectedScores: Tensor } {
  const r = suppress(
    "nonMaxSuppressionWithScore",
    boxes,
    scores,
    maxOutputSize,
    iouThreshold,
    scoreThreshold,
    softNmsSigma,
  );
  return {
    selectedIndices: int32(r.indices, [r.indices.length]),
    selectedScores: float32(r.scores, [r.scores.length]),
  };
}

/** `nonMaxSuppressionWithScore`, resolved as a promise. Example: `await tf.image.nonMaxSuppressionWithScoreAsync(b, s, 10, 0.5, 0, 0.5)`. */
export async function nonMaxSuppressionWithScoreAsync(
  boxes: TensorLike,
  scores: TensorLike,
  maxOutputSize: number,
  iouThreshold = 0.5,
  scoreThreshold = Number.NEGATIVE_INFINITY,
  softNmsSigma = 0,
): Promise<{ selectedIndices: Tensor; selectedScores: Tensor }> {
  return nonMaxSuppressionWithScore(boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, softNmsSigma);
}

/**
 * nonMaxSuppression whose indices can be padded with zeros to `maxOutputSize`
 * (`padToMaxOutputSize`); `validOutputs` (int32 scalar) counts the real ones.
 * Example: `const { selectedIndices, validOutputs } = tf.image.nonMaxSuppressionPadded(b, s, 10, 0.5, 0, true)`.
 */
export function nonMaxSuppressionPadded(
  boxes: TensorLike,
  scores: TensorLike,
  maxOutputSize: number,
  iouThreshold = 0.5,
  scoreThreshold = Number.NEGATIVE_INFINITY,
  padToMaxOutputSize = false,
): { selectedIndices: Tensor; validOutputs: Tensor } {
  const { indices, limit } = suppress(
    "nonMaxSuppressionPadded",
    boxes,
    scores,
    maxOutputSize,
    iouThreshold,
    scoreThreshold,
    0,
  );
  const valid = indices.length;
  // Padded to maxOutputSize, itself capped at the number of boxes (as TF.js does).
  const padded = padToMaxOutputSize ? [...indices, ...new Array(limit - valid).fill(0)] : indices;
  return { selectedIndices: int32(padded, [padded.length]), validOutputs: int32([valid], []) };
}

/** `nonMaxSuppressionPadded`, resolved as a promise. Example: `await tf.image.nonMaxSuppressionPaddedAsync(b, s, 10, 0.5, 0, true)`. */
export async function nonMaxSuppressionPaddedAsync(
  boxes: TensorLike,
  scores: TensorLike,
  maxOutputSize: number,
  iouThreshold = 0.5,
  scoreThreshold = Number.NEGATIVE_INFINITY,
  padToMaxOutputSize = false,
): Promise<{ selectedIndices: Tensor; validOutputs: Tensor }> {
  return nonMaxSuppressionPadded(boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, padToMaxOutputSize);
}

/** `tf.image`: resizing, cropping, flipping, rotating, transforming, colour conversion, thresholding, NMS. Example: `tf.image.resizeBilinear(img, [224, 224])`. */
export const image = {
  resizeBilinear,
  resizeNearestNeighbor,
  cropAndResize,
  flipLeftRight,
  grayscaleToRGB,
  rgbToGrayscale,
  rotateWithOffset,
  transform,
  threshold,
  nonMaxSuppression,
  nonMaxSuppressionAsync,
  nonMaxSuppressionWithScore,
  nonMaxSuppressionWithScoreAsync,
  nonMaxSuppressionPadded,
  nonMaxSuppressionPaddedAsync,
};
