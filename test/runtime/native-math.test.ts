import { describe, it } from "vitest";
import type { Conv2DAttrs, Pool2DAttrs } from "../../src/runtime/kernels.js";
import { matMulCases, pad, TRANSPOSES, windowOutShape } from "./kernel-cases.js";
import { forEachBackend } from "./backends.js";
import { expectSame, floats, intFloats, ints } from "./kernel-compare.js";

interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  dilations: [number, number];
  pad: [number, number, number, number];
}

const CONVS: ConvCase[] = [
  { x: [2, 7, 9, 3], filter: [3, 3, 3, 4], strides: [1, 1], dilations: [1, 1], pad: [1, 1, 1, 1] },
  { x: [1, 8, 8, 2], filter: [3, 2, 2, 5], strides: [2, 1], dilations: [1, 1], pad: [0, 1, 2, 0] },
  { x: [3, 9, 10, 4], filter: [3, 3, 4, 2], strides: [1, 2], dilations: [2, 2], pad: [2, 1, 0, 3] },
  { x: [2, 5, 6, 8], filter: [1, 1, 8, 3], strides: [1, 1], dilations: [1, 1], pad: [0, 0, 0, 0] },
  { x: [2, 6, 6, 3], filter: [1, 1, 3, 2], strides: [2, 2], dilations: [1, 1], pad: [0, 0, 0, 0] },
  { x: [1, 4, 4, 1], filter: [5, 5, 1, 1], strides: [1, 1], dilations: [1, 1], pad: [2, 2, 2, 2] },
  { x: [2, 3, 3, 2], filter: [3, 3, 2, 3], strides: [3, 3], dilations: [1, 1], pad: [0, 0, 0, 0] },
  { x: [2, 28, 28, 1], filter: [5, 5, 1, 8], strides: [1, 1], dilations: [1, 1], pad: [2, 2, 2, 2] },
];

function convAttrs(c: ConvCase): { attrs: Conv2DAttrs; out: number[] } {
  const [top, bottom, left, right] = c.pad;
  const attrs: Conv2DAttrs = { strides: c.strides, dilations: c.dilations, pad: pad(top, bottom, left, right) };
  return { attrs, out: windowOutShape(c.x, c.filter, attrs, c.filter[3]) };
}

// The native kernels against the cpu reference, beyond the cases every backend runs (kernels-*.test.ts).
forEachBackend(
  () => {
    describe("native BatchMatMul matches cpu", () => {
      for (const [transposeA, transposeB] of TRANSPOSES) {
        it(`transposeA=${transposeA} transposeB=${transposeB}, odd sizes and broadcast batches`, () => {
          for (const c of matMulCases(transposeA, transposeB)) {
            expectSame(
              "BatchMatMul",
              [floats(c.a), floats(c.b)],
              { transposeA, transposeB },
              { shape: c.out, dtype: "float32" },
            );
          }
        });
      }
      it("int32 products keep the cpu loop", () => {
        expectSame(
          "BatchMatMul",
          [ints([2, 3, 4]), ints([2, 4, 5])],
          { transposeA: false, transposeB: false },
          { shape: [2, 3, 5], dtype: "int32" },
        );
      });
    });

    describe("native Conv2D and its gradients match cpu", () => {
      CONVS.forEach((c, i) => {
        const { attrs, out } = convAttrs(c);
        const label = `x [${c.x}] filter [${c.filter}] strides [${c.strides}] dilations [${c.dilations}] pad [${c.pad}]`;
        it(`case ${i}: ${label}`, () => {
          expectSame("Conv2D", [floats(c.x), floats(c.filter)], attrs, { shape: out, dtype: "float32" });
          expectSame(
            "Conv2DBackpropInput",
            [floats(out), floats(c.filter)],
            { ...attrs, inShape: c.x },
            { shape: c.x, dtype: "float32" },
          );
          expectSame(
            "Conv2DBackpropFilter",
            [floats(c.x), floats(out)],
            { ...attrs, filterShape: c.filter },
            { shape: c.filter, dtype: "float32" },
          );
        });
      });
      // 40 images of 32×32 pixels × 288 taps exceed one 32 MiB im2col chunk (28 images).
      it("a batch larger than one im2col chunk gives the same sums", () => {
        const c: ConvCase = {
          x: [40, 32, 32, 32],
          filter: [3, 3, 32, 4],
          strides: [1, 1],
          dilations: [1, 1],
          pad: [1, 1, 1, 1],
        };
        const { attrs, out } = convAttrs(c);
        expectSame("Conv2D", [floats(c.x), floats(c.filter)], attrs, { shape: out, dtype: "float32" });
        expectSame(
          "Conv2DBackpropInput",
          [floats(out), floats(c.filter)],
          { ...attrs, inShape: c.x },
          { shape: c.x, dtype: "float32" },
        );
        expectSame(
          "Conv2DBackpropFilter",
          [floats(c.x), floats(out)],
          { ...attrs, filterShape: c.filter },
          { shape: c.filter, dtype: "float32" },
          1e-4,
        );
      });
    });

    describe("native pooling and its gradients match cpu", () => {
      const POOLS: {
        x: [number, number, number, number];
        filterSize: [number, number];
        strides: [number, number];
        pad: [number, number, number, number];
      }[] = [
        { x: [2, 6, 6, 3], filterSize: [2, 2], strides: [2, 2], pad: [0, 0, 0, 0] },
        { x: [1, 7, 5, 2], filterSize: [3, 3], strides: [1, 1], pad: [1, 1, 1, 1] },
        { x: [2, 9, 8, 4], filterSize: [3, 2], strides: [2, 3], pad: [1, 0, 0, 2] },
        { x: [1, 3, 3, 1], filterSize: [3, 3], strides: [1, 1], pad: [2, 2, 2, 2] },
      ];
      for (const c of POOLS) {
        it(`x [${c.x}] window [${c.filterSize}] strides [${c.strides}] pad [${c.pad}]`, () => {
          const attrs: Pool2DAttrs = { filterSize: c.filterSize, strides: c.strides, pad: pad(...c.pad) };
          const out = windowOutShape(c.x, c.filterSize, attrs, c.x[3]);
          // Integer-valued inputs put ties in windows: the gradient goes to the first maximum.
          for (const x of [floats(c.x), intFloats(c.x, -1, 1)]) {
            expectSame("MaxPool", [x], attrs, { shape: out, dtype: "float32" });
            expectSame("MaxPoolGrad", [floats(out), x], attrs, { shape: c.x, dtype: "float32" });
            expectSame("AvgPool", [x], attrs, { shape: out, dtype: "float32" });
          }
          expectSame("AvgPoolGrad", [floats(out)], { ...attrs, inShape: c.x }, { shape: c.x, dtype: "float32" });
        });
      }
    });
  },
  { only: ["native"] },
);
