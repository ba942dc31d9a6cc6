/**
 * Index arithmetic shared by backends: row-major strides and NumPy-style broadcast strides. (The
 * broadcast output shape itself is computed by the op, `broadcastShapes` in ops/util.ts; a kernel
 * receives it as `out.shape`.)
 *
 * A broadcast input is read through "broadcast strides": its own strides laid out against the
 * output's axes, with 0 on every axis where the input has size 1 (or is missing). The flat input
 * index of an output element is then `sum(outCoord[i] * strides[i])`, which a kernel (CPU loop or
 * generated GPU code) can compute without knowing anything else about the input.
 *
 * @example
 * const strides = broadcastStrides([3, 1], [2, 3, 4]); // [0, 1, 0]
 * broadcastIndex(13, [2, 3, 4], strides);               // out (1,0,1) reads input (0,0) → 0
 */

/** Row-major strides: `stridesOf([2, 3, 4])` is `[12, 4, 1]`. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis]!;
  }
  return strides;
}

/**
 * Strides for reading an input of `inShape` while walking an output of `outShape` (length
 * `outShape.length`, 0 on broadcast axes). Throws if `inShape` does not broadcast to `outShape`.
 */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  if (inShape.length > outShape.length) {
    throw new Error(`Shape [${inShape.join(",")}] has more axes than the broadcast shape [${outShape.join(",")}]`);
  }
  const inStrides = stridesOf(inShape);
  const lead = outShape.length - inShape.length;
  const strides = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    const dim = inShape[i]!;
    if (dim === outShape[lead + i]) {
      strides[lead + i] = dim === 1 ? 0 : inStrides[i]!;
    } else if (dim !== 1) {
      throw new Error(`Shape [${inShape.join(",")}] cannot be broadcast to [${outShape.join(",")}]`);
    }
  }
  return strides;
}

/** Flat input index for flat output index `outIndex`, given `broadcastStrides(inShape, outShape)`. */
export function broadcastIndex(outIndex: number, outShape: readonly number[], strides: readonly number[]): number {
  let inIndex = 0;
  let rest = outIndex;
  for (let axis = outShape.length - 1; axis >= 0; axis--) {
    const dim = outShape[axis]!;
    const coord = rest % dim;
    rest = (rest - coord) / dim;
    inIndex += coord * strides[axis]!;
  }
  return inIndex;
}

/**
 * The flat input index of every output element (`map[outIndex] = inIndex`), computed by walking
 * the output in order and stepping the input offset, without a division per element.
 */
export function broadcastIndexMap(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const strides = broadcastStrides(inShape, outShape);
  let size = 1;
  for (const d of outShape) size *= d;
  const map = new Int32Array(size);
  if (size === 0) return map;
  const rank = outShape.length;
  const coord = new Array<number>(rank).fill(0);
  const innerDim = rank > 0 ? outShape[rank - 1]! : 1;
  const innerStride = rank > 0 ? strides[rank - 1]! : 0;
  let offset = 0;
  for (let start = 0; start < size; start += innerDim) {
    for (let j = 0; j < innerDim; j++) map[start + j] = offset + j * innerStride;
    // Advance the multi-index over all axes but the innermost, carrying like an odometer.
    for (let axis = rank - 2; axis >= 0; axis--) {
      coord[axis]!++;
      offset += strides[axis]!;
      if (coord[axis]! < outShape[axis]!) break;
      offset -= coord[axis]! * strides[axis]!;
      coord[axis] = 0;
    }
  }
  return map;
}
