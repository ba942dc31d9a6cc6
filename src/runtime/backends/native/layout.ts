import type { DataArray } from "../../backend.js";
import { stridesOf } from "../broadcast.js";
import type { NativeAddon } from "./addon.js";
import type { DecliningKernel } from "./context.js";
import { collapseAxes, packParams } from "./strides.js";

const MAX_RANK = 16;

function product(dims: readonly number[], from = 0, to = dims.length): number {
  let n = 1;
  for (let i = from; i < to; i++) n *= dims[i]!;
  return n;
}

function checkRank(kernel: string, what: string, got: number, rank: number): void {
  if (got !== rank) throw new Error(`${kernel}: ${what} has ${got} entries for a rank-${rank} input`);
}

/** Copies `shape` elements: dst[dstOffset + Σ c·dstStrides] = src[srcOffset + Σ c·srcStrides]. Returns false if too many axes. */
function copy(
  addon: NativeAddon,
  src: DataArray,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: DataArray,
  dstOffset: number,
  dstStrides: readonly number[],
  shape: readonly number[],
): boolean {
  if (shape.some((d) => d === 0)) return true;
  const layout = collapseAxes(shape, [srcStrides, dstStrides]);
  if (layout.shape.length > MAX_RANK) return false;
  const bytes = dst instanceof Uint8Array ? 1 : 4;
  addon.stridedCopy(
    packParams([bytes, layout.shape.length, srcOffset, dstOffset], layout.shape, layout.strides),
    src,
    dst,
  );
  return true;
}

/*
 * Kernels that move values (Transpose, Slice, Concat, Pad, Reverse, Tile, Gather) plus
 * UnsortedSegmentSum. All but the last two are one native strided copy and take every dtype.
 */

export const transpose: DecliningKernel<"Transpose"> =
  ({ store, addon }) =>
  ({ inputs: [x], attrs: { perm }, out }) => {
    checkRank("Transpose", "perm", perm.length, x.shape.length);
    const inStrides = stridesOf(x.shape);
    const result = store.allocRaw(out);
    if (
      !copy(
        addon,
        store.read(x),
        0,
        perm.map((axis) => inStrides[axis]!),
        result,
        0,
        stridesOf(out.shape),
        out.shape,
      )
    )
      return undefined;
    return store.write(result, out.shape, out.dtype);
  };

export const slice: DecliningKernel<"Slice"> =
  ({ store, addon }) =>
  ({ inputs: [x], attrs: { begin, size }, out }) => {
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
    const result = store.allocRaw(out);
    if (!copy(addon, store.read(x), offset, inStrides, result, 0, stridesOf(size), size)) return undefined;
    return store.write(result, out.shape, out.dtype);
  };

export const concat: DecliningKernel<"Concat"> =
  ({ store, addon }) =>
  ({ inputs, attrs: { axis }, out }) => {
    // Each input is [outer, row_i]; it lands at column Σ row_j (j < i) of the [outer, outRow] output.
    const outer = product(out.shape, 0, axis);
    const outRow = product(out.shape, axis);
    let column = 0;
    for (const input of inputs) column += product(input.shape, axis);
    if (column !== outRow) {
      throw new Error(
        `Concat: inputs give rows of ${column} values, output shape [${out.shape.join(",")}] needs ${outRow}`,
      );
    }
    const result = store.allocRaw(out);
    column = 0;
    for (const input of inputs) {
      const row = product(input.shape, axis);
      copy(addon, store.read(input), 0, [row, 1], result, column, [outRow, 1], [outer, row]);
      column += row;
    }
    return store.write(result, out.shape, out.dtype);
  };

export const pad: DecliningKernel<"Pad"> =
  ({ store, addon }) =>
  ({ inputs: [x], attrs: { paddings, constantValue }, out }) => {
    checkRank("Pad", "paddings", paddings.length, x.shape.length);
    const result = store.allocRaw(out);
    result.fill(constantValue);
    const outStrides = stridesOf(out.shape);
    let offset = 0;
    for (let axis = 0; axis < paddings.length; axis++) offset += paddings[axis]![0] * outStrides[axis]!;
    if (!copy(addon, store.read(x), 0, stridesOf(x.shape), result, offset, outStrides, x.shape)) return undefined;
    return store.write(result, out.shape, out.dtype);
  };

export const reverse: DecliningKernel<"Reverse"> =
  ({ store, addon }) =>
  ({ inputs: [x], attrs: { axes }, out }) => {
    const srcStrides = stridesOf(x.shape);
    let offset = 0;
    for (const axis of new Set(axes)) {
      if (axis < 0 || axis >= x.shape.length)
        throw new Error(`Reverse: axis ${axis} is out of range for rank ${x.shape.length}`);
      offset += (x.shape[axis]! - 1) * srcStrides[axis]!;
      srcStrides[axis] = -srcStrides[axis]!;
    }
    const result = store.allocRaw(out);
    if (!copy(addon, store.read(x), offset, srcStrides, result, 0, stridesOf(x.shape), x.shape)) return undefined;
    return store.write(result, out.shape, out.dtype);
  };

export const tile: DecliningKernel<"Tile"> =
  ({ store, addon }) =>
  ({ inputs: [x], attrs: { reps }, out }) => {
    checkRank("Tile", "reps", reps.length, x.shape.length);
    // Walk the output as [rep0, dim0, rep1, dim1, …]: the rep axes read the input with stride 0.
    const inStrides = stridesOf(x.shape);
    const outStrides = stridesOf(out.shape);
    const shape: number[] = [];
    const src: number[] = [];
    const dst: number[] = [];
    for (let axis = 0; axis < reps.length; axis++) {
      shape.push(reps[axis]!, x.shape[axis]!);
      src.push(0, inStrides[axis]!);
      dst.push(x.shape[axis]! * outStrides[axis]!, outStrides[axis]!);
    }
    const result = store.allocRaw(out);
    if (!copy(addon, store.read(x), 0, src, result, 0, dst, shape)) return undefined;
    return store.write(result, out.shape, out.dtype);
  };

export const gather: DecliningKernel<"Gather"> =
  ({ store, addon }) =>
  ({ inputs: [x, indices], attrs: { axis }, out }) => {
    if (x.dtype === "bool" || indices.dtype !== "int32") return undefined;
    if (axis < 0 || axis >= x.shape.length)
      throw new Error(`Gather: axis ${axis} is out of range for rank ${x.shape.length}`);
    const idx = store.read(indices) as Int32Array;
    const result = store.allocRaw(out) as Float32Array | Int32Array;
    const axisDim = x.shape[axis]!;
    const p = Int32Array.of(product(x.shape, 0, axis), axisDim, idx.length, product(x.shape, axis + 1));
    const bad = addon.gather(p, store.read(x) as Float32Array | Int32Array, idx, result);
    if (bad !== null) throw new Error(`Gather: index ${bad} is out of range [0, ${axisDim})`);
    return store.write(result, out.shape, out.dtype);
  };

export const unsortedSegmentSum: DecliningKernel<"UnsortedSegmentSum"> =
  ({ store, addon }) =>
  ({ inputs: [x, segmentIds], attrs: { numSegments }, out }) => {
    if (x.dtype !== "float32" || segmentIds.dtype !== "int32") return undefined;
    const values = store.read(x) as Float32Array;
    const ids = store.read(segmentIds) as Int32Array;
    const rows = x.shape[0] ?? 1;
    if (ids.length !== rows) throw new Error(`UnsortedSegmentSum: ${ids.length} segment ids for ${rows} rows`);
    const inner = rows === 0 ? 0 : values.length / rows;
    const result = store.allocRaw(out) as Float32Array;
    if (result.length !== numSegments * inner) {
      throw new Error(
        `UnsortedSegmentSum: output shape [${out.shape.join(",")}] should hold ${numSegments * inner} values`,
      );
    }
    const bad = addon.segmentSum(Int32Array.of(rows, inner, numSegments), values, ids, result);
    if (bad !== null) throw new Error(`UnsortedSegmentSum: segment id ${bad} is not below numSegments ${numSegments}`);
    return store.write(result, out.shape, out.dtype);
  };
