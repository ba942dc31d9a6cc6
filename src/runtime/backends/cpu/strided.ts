import type { DataArray } from "../../backend.js";

/**
 * Copies a block of `shape` from `src` to `dst`, where each side addresses element `coord` at
 * `offset + sum(coord[i] * strides[i])`. Strides may be 0 (broadcast) or negative (reverse), so
 * this one loop does transpose, slice, reverse, pad and broadcast expansion.
 */
export function stridedCopy(
  src: DataArray,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: DataArray,
  dstOffset: number,
  dstStrides: readonly number[],
  shape: readonly number[],
): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[dstOffset] = src[srcOffset]!;
    return;
  }
  for (const d of shape) if (d === 0) return;
  const innerDim = shape[rank - 1]!;
  const srcInner = srcStrides[rank - 1]!;
  const dstInner = dstStrides[rank - 1]!;
  const coord = new Array<number>(rank - 1).fill(0);
  let s = srcOffset;
  let d = dstOffset;
  for (;;) {
    for (let j = 0; j < innerDim; j++) dst[d + j * dstInner] = src[s + j * srcInner]!;
    // Odometer step over the outer axes; stop after the last row.
    let axis = rank - 2;
    for (; axis >= 0; axis--) {
      coord[axis]!++;
      s += srcStrides[axis]!;
      d += dstStrides[axis]!;
      if (coord[axis]! < shape[axis]!) break;
      s -= coord[axis]! * srcStrides[axis]!;
      d -= coord[axis]! * dstStrides[axis]!;
      coord[axis] = 0;
    }
    if (axis < 0) return;
  }
}
