import type { Padding2D } from "../../kernels.js";

/**
 * The sizes a 2-D sliding-window kernel (conv, depthwise conv, pool) loops over, for NHWC data.
 * An output pixel (oy, ox) and filter tap (fy, fx) read input row `oy*strideH - padTop + fy*dilationH`
 * and column `ox*strideW - padLeft + fx*dilationW`; taps that land outside the input read padding.
 */
export interface Window2D {
  batch: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  filterH: number;
  filterW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padLeft: number;
}

/**
 * Checks the NHWC input/output shapes against the window attributes and returns the loop sizes.
 * `outShape` is the forward output (for backprops: `dy`'s shape).
 */
export function window2D(
  kernel: string,
  inShape: readonly number[],
  outShape: readonly number[],
  filter: [number, number],
  strides: [number, number],
  dilations: [number, number],
  pad: Padding2D,
): Window2D {
  if (inShape.length !== 4 || outShape.length !== 4) {
    throw new Error(
      `${kernel}: expects NHWC shapes, got input [${inShape.join(",")}] and output [${outShape.join(",")}]`,
    );
  }
  if (inShape[0] !== outShape[0]) {
    throw new Error(`${kernel}: batch of input [${inShape.join(",")}] and output [${outShape.join(",")}] differ`);
  }
  for (const [what, v] of [
    ["strides", strides],
    ["dilations", dilations],
    ["filter size", filter],
  ] as const) {
    if (!(v[0] >= 1 && v[1] >= 1 && Number.isInteger(v[0]) && Number.isInteger(v[1]))) {
      throw new Error(`${kernel}: ${what} must be positive integers, got [${v.join(",")}]`);
    }
  }
  const check = (
    axis: string,
    inSize: number,
    f: number,
    s: number,
    d: number,
    before: number,
    after: number,
    out: number,
  ) => {
    const span = (f - 1) * d + 1;
    const expected = Math.floor((inSize + before + after - span) / s) + 1;
    if (Math.max(expected, 0) !== out) {
      throw new Error(
        `${kernel}: output ${axis} ${out} does not match input ${axis} ${inSize}, filter ${f}, stride ${s}, dilation ${d}, padding ${before}+${after} (expected ${Math.max(expected, 0)})`,
      );
    }
  };
  check("height", inShape[1]!, filter[0], strides[0], dilations[0], pad.top, pad.bottom, outShape[1]!);
  check("width", inShape[2]!, filter[1], strides[1], dilations[1], pad.left, pad.right, outShape[2]!);
  return {
    batch: inShape[0]!,
    inH: inShape[1]!,
    inW: inShape[2]!,
    outH: outShape[1]!,
    outW: outShape[2]!,
    filterH: filter[0],
    filterW: filter[1],
    strideH: strides[0],
    strideW: strides[1],
    dilationH: dilations[0],
    dilationW: dilations[1],
    padTop: pad.top,
    padLeft: pad.left,
  };
}

export function checkShape(kernel: string, what: string, got: readonly number[], expected: readonly number[]): void {
  if (got.length !== expected.length || got.some((d, i) => d !== expected[i])) {
    throw new Error(`${kernel}: ${what} has shape [${got.join(",")}], expected [${expected.join(",")}]`);
  }
}
