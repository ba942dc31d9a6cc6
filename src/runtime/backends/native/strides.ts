/**
 * Stride bookkeeping for the native loops: merging axes that every operand walks contiguously, so
 * that a broadcast add of a bias or a plain copy becomes one long inner row instead of many short ones.
 */

/**
 * Drops size-1 axes and merges neighbours that every operand walks as one: axis i joins i+1 when,
 * for each operand, `strides[i] === strides[i+1] * shape[i+1]`. Returns the shorter shape and the
 * matching stride lists (at least one axis, so the native side always has an inner row).
 *
 * @example
 * collapseAxes([4, 3, 5], [[15, 5, 1], [0, 0, 1]]) // bias [5] over [4,3,5] → { shape: [12, 5], strides: [[5, 1], [0, 1]] }
 */
export function collapseAxes(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const dim = shape[axis]!;
    if (dim === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, j) => s[axis]! === outStrides[j]![0]! * outShape[0]!)) {
      outShape[0] = outShape[0]! * dim;
      continue;
    }
    outShape.unshift(dim);
    strides.forEach((s, j) => outStrides[j]!.unshift(s[axis]!));
  }
  if (outShape.length === 0) return { shape: [1], strides: strides.map(() => [0]) };
  return { shape: outShape, strides: outStrides };
}

/** `[head..., shape, strides...]` as one Int32Array, the parameter layout of the native walkers. */
export function packParams(
  head: readonly number[],
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): Int32Array {
  const p = new Int32Array(head.length + shape.length * (1 + strides.length));
  p.set(head, 0);
  p.set(shape, head.length);
  strides.forEach((s, j) => p.set(s, head.length + shape.length * (1 + j)));
  return p;
}
