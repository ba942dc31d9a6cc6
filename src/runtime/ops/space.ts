/**
 * Rearranging blocks between the batch or channel axis and the spatial axes: spaceToBatchND,
 * batchToSpaceND, depthToSpace. Each is pad/slice + reshape + transpose, so gradients come from those.
 */
import type { Tensor, TensorLike } from "../tensor.js";
import { convert } from "./convert.js";
import { pad, reshape, slice, transpose } from "./shape.js";
import { shapeStr } from "./util.js";

function checkBlocks(op: string, x: Tensor, blockShape: number[], pairs: number[][], pairName: string): void {
  const m = blockShape.length;
  if (!Array.isArray(blockShape) || m < 1 || blockShape.some((b) => !Number.isInteger(b) || b < 1)) {
    throw new Error(`${op}: blockShape must be positive integers, got ${JSON.stringify(blockShape)}`);
  }
  if (x.rank < m + 1) throw new Error(`${op}: input ${shapeStr(x.shape)} needs rank > blockShape's length ${m}`);
  if (
    !Array.isArray(pairs) ||
    pairs.length !== m ||
    pairs.some((p) => p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0))
  ) {
    throw new Error(
      `${op}: ${pairName} must be ${m} [start, end] pairs of non-negative integers, got ${JSON.stringify(pairs)}`,
    );
  }
}

/**
 * Zero-pads the spatial axes (`x.shape[1..M]`), then moves `blockShape` blocks of them into the batch
 * axis: `[b, h, w, c]` with blocks `[2, 2]` → `[4b, h/2, w/2, c]`. Example:
 * `tf.spaceToBatchND(x, [2, 2], [[0, 0], [0, 0]])`.
 */
export function spaceToBatchND(x: TensorLike, blockShape: number[], paddings: number[][]): Tensor {
  const t = convert(x, "x", "spaceToBatchND");
  checkBlocks("spaceToBatchND", t, blockShape, paddings, "paddings");
  const m = blockShape.length;
  const rest = t.shape.slice(m + 1);
  const full = [[0, 0], ...paddings, ...rest.map(() => [0, 0])] as [number, number][];
  const padded = pad(t, full);
  const split: number[] = [t.shape[0]];
  for (let i = 0; i < m; i++) {
    const d = padded.shape[i + 1];
    if (d % blockShape[i] !== 0) {
      throw new Error(`spaceToBatchND: padded axis ${i + 1} (length ${d}) is not a multiple of block ${blockShape[i]}`);
    }
    split.push(d / blockShape[i], blockShape[i]);
  }
  const blocks = reshape(padded, [...split, ...rest]);
  const perm = [
    ...blockShape.map((_, i) => 2 + 2 * i),
    0,
    ...blockShape.map((_, i) => 1 + 2 * i),
    ...rest.map((_, i) => 1 + 2 * m + i),
  ];
  const moved = transpose(blocks, perm);
  const batch = t.shape[0] * blockShape.reduce((a, b) => a * b, 1);
  return reshape(moved, [batch, ...split.filter((_, i) => i % 2 === 1), ...rest]);
}

/**
 * The inverse of spaceToBatchND: moves blocks from the batch axis back into the spatial axes, then
 * crops them by `crops[i] = [start, end]`. Example: `tf.batchToSpaceND(y, [2, 2], [[0, 0], [0, 0]])`.
 */
export function batchToSpaceND(x: TensorLike, blockShape: number[], crops: number[][]): Tensor {
  const t = convert(x, "x", "batchToSpaceND");
  checkBlocks("batchToSpaceND", t, blockShape, crops, "crops");
  const m = blockShape.length;
  const prod = blockShape.reduce((a, b) => a * b, 1);
  if (t.shape[0] % prod !== 0) {
    throw new Error(`batchToSpaceND: batch ${t.shape[0]} is not a multiple of the block size product ${prod}`);
  }
  const batch = t.shape[0] / prod;
  const spatial = t.shape.slice(1, m + 1);
  const rest = t.shape.slice(m + 1);
  const blocks = reshape(t, [...blockShape, batch, ...spatial, ...rest]);
  const perm = [m];
  for (let i = 0; i < m; i++) perm.push(m + 1 + i, i);
  for (let i = 0; i < rest.length; i++) perm.push(2 * m + 1 + i);
  const moved = reshape(transpose(blocks, perm), [batch, ...spatial.map((d, i) => d * blockShape[i]), ...rest]);
  const begin = [0, ...crops.map((c) => c[0]), ...rest.map(() => 0)];
  const size = [batch, ...spatial.map((d, i) => d * blockShape[i] - crops[i][0] - crops[i][1]), ...rest];
  if (size.some((d) => d < 0)) throw new Error(`batchToSpaceND: crops ${JSON.stringify(crops)} exceed the output size`);
  return slice(moved, begin, size);
}

/**
 * Moves depth into `blockSize`×`blockSize` spatial blocks: `[b, h, w, c]` → `[b, h·bs, w·bs, c/bs²]`
 * (`dataFormat` 'NCHW': `[b, c, h, w]` → `[b, c/bs², h·bs, w·bs]`).
 * Example: `tf.depthToSpace(tf.tensor4d([1, 2, 3, 4], [1, 1, 1, 4]), 2)` → `[[[[1], [2]], [[3], [4]]]]`.
 */
export function depthToSpace(x: TensorLike, blockSize: number, dataFormat: "NHWC" | "NCHW" = "NHWC"): Tensor {
  const t = convert(x, "x", "depthToSpace");
  if (t.rank !== 4) throw new Error(`depthToSpace: input must be rank 4, got ${shapeStr(t.shape)}`);
  if (!Number.isInteger(blockSize) || blockSize < 2) {
    throw new Error(`depthToSpace: blockSize must be an integer >= 2, got ${blockSize}`);
  }
  if (dataFormat !== "NHWC" && dataFormat !== "NCHW") {
    throw new Error(`depthToSpace: dataFormat must be 'NHWC' or 'NCHW', got '${String(dataFormat)}'`);
  }
  const nhwc = dataFormat === "NHWC" ? t : transpose(t, [0, 2, 3, 1]);
  const [b, h, w, c] = nhwc.shape;
  if (c % (blockSize * blockSize) !== 0) {
    throw new Error(`depthToSpace: depth ${c} is not divisible by blockSize² = ${blockSize * blockSize}`);
  }
  const depth = c / (blockSize * blockSize);
  const blocks = transpose(reshape(nhwc, [b, h, w, blockSize, blockSize, depth]), [0, 1, 3, 2, 4, 5]);
  const out = reshape(blocks, [b, h * blockSize, w * blockSize, depth]);
  return dataFormat === "NHWC" ? out : transpose(out, [0, 3, 1, 2]);
}
