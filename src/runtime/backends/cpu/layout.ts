import { stridesOf } from "../broadcast.js";
import type { CpuKernel } from "./storage.js";
import { stridedCopy } from "./strided.js";

function product(dims: readonly number[], from = 0, to = dims.length): number {
  let n = 1;
  for (let i = from; i < to; i++) n *= dims[i]!;
  return n;
}

function checkRank(kernel: string, what: string, got: number, rank: number): void {
  if (got !== rank) throw new Error(`${kernel}: ${what} has ${got} entries for a rank-${rank} input`);
}

/** Kernels that move values without arithmetic (plus UnsortedSegmentSum, Gather's gradient). */
export const transpose: CpuKernel<"Transpose"> =
  (store) =>
  ({ inputs: [x], attrs: { perm }, out }) => {
    const values = store.read(x);
    checkRank("Transpose", "perm", perm.length, x.shape.length);
    const inStrides = stridesOf(x.shape);
    // Walk the output in order; axis i of the output steps the input by the stride of axis perm[i].
    const srcStrides = perm.map((axis) => inStrides[axis]!);
    const result = store.alloc(out);
    stridedCopy(values, 0, srcStrides, result, 0, stridesOf(out.shape), out.shape);
    return store.write(result, out.shape, out.dtype);
  };

export const slice: CpuKernel<"Slice"> =
  (store) =>
  ({ inputs: [x], attrs: { begin, size }, out }) => {
    const values = store.read(x);
    checkRank("Slice", "begin", begin.length, x.shape.length);
    checkRank("Slice", "size", size.length, x.shape.length);
    const inStrides = stridesOf(x.shape);
    let offset = 0;
    for (let axis = 0; axis < begin.length; axis++) {
      if (begin[axis]! < 0 || begin[axis]! + size[axis]! > x.shape[axis]!) {
        throw new Error(
          `Slice: begin ${begin[axis]} + size ${size[axis]} is out of range for axis ${axis} of size ${x.shape[axis]}`,
        );
      }
      offset += begin[axis]! * inStrides[axis]!;
    }
    const result = store.alloc(out);
    stridedCopy(values, offset, inStrides, result, 0, stridesOf(size), size);
    return store.write(result, out.shape, out.dtype);
  };

export const concat: CpuKernel<"Concat"> =
  (store) =>
  ({ inputs, attrs: { axis }, out }) => {
    // View each input as [outer, rowSize_i]; an output row is the inputs' rows side by side.
    const outer = product(out.shape, 0, axis);
    const outRow = product(out.shape, axis);
    const result = store.alloc(out);
    let column = 0;
    for (const input of inputs) {
      const values = store.read(input);
      const row = product(input.shape, axis);
      for (let o = 0; o < outer; o++) {
        result.set(values.subarray(o * row, (o + 1) * row), o * outRow + column);
      }
      column += row;
    }
    if (column !== outRow) {
      throw new Error(
        `Concat: inputs give rows of ${column} values, output shape [${out.shape.join(",")}] needs ${outRow}`,
      );
    }
    return store.write(result, out.shape, out.dtype);
  };

export const pad: CpuKernel<"Pad"> =
  (store) =>
  ({ inputs: [x], attrs: { paddings, constantValue }, out }) => {
    const values = store.read(x);
    checkRank("Pad", "paddings", paddings.length, x.shape.length);
    const result = store.alloc(out);
    if (constantValue !== 0) result.fill(constantValue);
    const outStrides = stridesOf(out.shape);
    let offset = 0;
    for (let axis = 0; axis < paddings.length; axis++) offset += paddings[axis]![0] * outStrides[axis]!;
    stridedCopy(values, 0, stridesOf(x.shape), result, offset, outStrides, x.shape);
    return store.write(result, out.shape, out.dtype);
  };

export const reverse: CpuKernel<"Reverse"> =
  (store) =>
  ({ inputs: [x], attrs: { axes }, out }) => {
    const values = store.read(x);
    // Read each reversed axis from its far end with a negative stride.
    const srcStrides = stridesOf(x.shape);
    let offset = 0;
    for (const axis of new Set(axes)) {
      if (axis < 0 || axis >= x.shape.length)
        throw new Error(`Reverse: axis ${axis} is out of range for rank ${x.shape.length}`);
      offset += (x.shape[axis]! - 1) * srcStrides[axis]!;
      srcStrides[axis] = -srcStrides[axis]!;
    }
    const result = store.alloc(out);
    if (result.length > 0) stridedCopy(values, offset, srcStrides, result, 0, stridesOf(x.shape), x.shape);
    return store.write(result, out.shape, out.dtype);
  };

export const tile: CpuKernel<"Tile"> =
  (store) =>
  ({ inputs: [x], attrs: { reps }, out }) => {
    const values = store.read(x);
    checkRank("Tile", "reps", reps.length, x.shape.length);
    const result = store.alloc(out);
    if (values.length === 0) return store.write(result, out.shape, out.dtype);
    if (values.length === 1) return store.write(result.fill(values[0]!), out.shape, out.dtype);
    // One strided copy over (tile, position in the tile) pairs of axes: output element
    // (t·x.shape[a] + j)·outStride[a] reads input element j·inStride[a]. Extents of 1 are left out.
    const outStrides = stridesOf(out.shape);
    const inStrides = stridesOf(x.shape);
    const shape: number[] = [];
    const srcStrides: number[] = [];
    const dstStrides: number[] = [];
    const axis = (extent: number, src: number, dst: number) => {
      if (extent === 1) return;
      shape.push(extent);
      srcStrides.push(src);
      dstStrides.push(dst);
    };
    for (let a = 0; a < reps.length; a++) {
      axis(reps[a]!, 0, x.shape[a]! * outStrides[a]!);
      axis(x.shape[a]!, inStrides[a]!, outStrides[a]!);
    }
    stridedCopy(values, 0, srcStrides, result, 0, dstStrides, shape);
    return store.write(result, out.shape, out.dtype);
  };

export const gather: CpuKernel<"Gather"> =
  (store) =>
  ({ inputs: [x, indices], attrs: { axis }, out }) => {
    const values = store.read(x);
    const idx = store.read(indices);
    if (axis < 0 || axis >= x.shape.length)
      throw new Error(`Gather: axis ${axis} is out of range for rank ${x.shape.length}`);
    // x is [outer, axisDim, inner]; the output is [outer, indices.length, inner].
    const outer = product(x.shape, 0, axis);
    const axisDim = x.shape[axis]!;
    const inner = product(x.shape, axis + 1);
    const result = store.alloc(out);
    let dst = 0;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < idx.length; j++) {
        const k = idx[j]!;
        if (!(k >= 0 && k < axisDim)) throw new Error(`Gather: index ${k} is out of range [0, ${axisDim})`);
        const src = (o * axisDim + k) * inner;
        for (let e = 0; e < inner; e++) result[dst++] = values[src + e]!;
      }
    }
    return store.write(result, out.shape, out.dtype);
  };

export const unsortedSegmentSum: CpuKernel<"UnsortedSegmentSum"> =
  (store) =>
  ({ inputs: [x, segmentIds], attrs: { numSegments }, out }) => {
    const values = store.read(x);
    const ids = store.read(segmentIds);
    const rows = x.shape[0] ?? 1;
    if (ids.length !== rows) {
      throw new Error(`UnsortedSegmentSum: ${ids.length} segment ids for ${rows} rows`);
    }
    const inner = rows === 0 ? 0 : values.length / rows;
    // Accumulate in float64, then round once into the output dtype.
    const sums = new Float64Array(numSegments * inner);
    for (let r = 0; r < rows; r++) {
      const s = ids[r]!;
      if (s < 0) continue; // negative ids are dropped, as in TF
      if (s >= numSegments)
        throw new Error(`UnsortedSegmentSum: segment id ${s} is not below numSegments ${numSegments}`);
      const src = r * inner;
      const dst = s * inner;
      for (let e = 0; e < inner; e++) sums[dst + e]! += values[src + e]!;
    }
    const result = store.alloc(out);
    if (result.length !== sums.length) {
      throw new Error(`UnsortedSegmentSum: output shape [${out.shape.join(",")}] should hold ${sums.length} values`);
    }
    result.set(sums);
    return store.write(result, out.shape, out.dtype);
  };
