/**
 * Shapes shared by the backend-against-cpu kernel tests: BatchMatMul size cases and the output
 * shapes of sliding windows (convolutions, pooling).
 */
import type { Padding2D } from "../../src/runtime/kernels.js";

export const pad = (top: number, bottom: number, left: number, right: number): Padding2D => ({
  top,
  bottom,
  left,
  right,
});

/** Output length of one axis of a sliding window (0 where the window does not fit). */
export function outSize(inSize: number, f: number, s: number, d: number, before: number, after: number): number {
  return Math.max(Math.floor((inSize + before + after - ((f - 1) * d + 1)) / s) + 1, 0);
}

/** NHWC output shape of a `filter`-sized window over `x` with `channels` output channels (dilations default to 1). */
export function windowOutShape(
  x: readonly number[],
  filter: readonly number[],
  a: { strides: readonly [number, number]; dilations?: readonly [number, number]; pad: Padding2D },
  channels: number,
): number[] {
  const [dh, dw] = a.dilations ?? [1, 1];
  return [
    x[0]!,
    outSize(x[1]!, filter[0]!, a.strides[0], dh, a.pad.top, a.pad.bottom),
    outSize(x[2]!, filter[1]!, a.strides[1], dw, a.pad.left, a.pad.right),
    channels,
  ];
}

/** [aBatch, bBatch, m, k, n]: odd sizes, batch broadcast either way, blocks of 4 rows with ragged ends, empty sides. */
const MATMUL_SIZES: [number, number, number, number, number][] = [
  [1, 1, 1, 1, 1],
  [1, 1, 3, 5, 7],
  [1, 1, 7, 13, 5],
  [2, 2, 4, 8, 4],
  [1, 3, 5, 17, 3],
  [3, 1, 2, 33, 9],
  [3, 3, 33, 17, 65],
  [1, 1, 16, 100, 13],
  [2, 1, 5, 9, 32],
  [4, 1, 6, 9, 11],
  [1, 5, 6, 9, 11],
  [2, 2, 64, 128, 10],
  [1, 3, 8, 12, 5],
  [3, 1, 4, 16, 17],
  [1, 1, 12, 64, 8],
  [1, 1, 4, 0, 3],
  [2, 2, 0, 3, 4],
];

export interface MatMulCase {
  a: number[];
  b: number[];
  out: number[];
  /** The inner (summed) dimension. */
  k: number;
}

/** Every BatchMatMul size case, with operand shapes laid out for the given transposes. */
export function matMulCases(transposeA: boolean, transposeB: boolean): MatMulCase[] {
  return MATMUL_SIZES.map(([ab, bb, m, k, n]) => ({
    a: transposeA ? [ab, k, m] : [ab, m, k],
    b: transposeB ? [bb, n, k] : [bb, k, n],
    out: [Math.max(ab, bb), m, n],
    k,
  }));
}

export const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;
