import { describe, expect, it } from "vitest";
import type { Conv2DAttrs, Pool2DAttrs } from "../../src/runtime/kernels.js";
import { forEachBackend } from "./backends.js";
import { compare, rand, runOn, tensor, tested } from "./kernel-compare.js";
import { matMulCases, pad, TRANSPOSES, windowOutShape } from "./kernel-cases.js";

// Every kernel of every backend against the cpu reference (the cpu backend itself: cpu-*.test.ts).
forEachBackend(
  () => {
    describe("BatchMatMul", () => {
      it("multiplies a small matrix pair to hand-computed values", () => {
        const a = tensor([1, 2, 3, 4, 5, 6], [1, 2, 3]);
        const b = tensor([7, 8, 9, 10, 11, 12], [1, 3, 2]);
        const got = runOn(
          tested(),
          "BatchMatMul",
          [a, b],
          { transposeA: false, transposeB: false },
          { shape: [1, 2, 2], dtype: "float32" },
        );
        expect(Array.from(got)).toEqual([58, 64, 139, 154]);
      });

      it("matches the cpu backend for transposes, batch broadcast and odd sizes", () => {
        for (const [transposeA, transposeB] of TRANSPOSES) {
          for (const c of matMulCases(transposeA, transposeB)) {
            compare(
              "BatchMatMul",
              [rand(c.a), rand(c.b)],
              { transposeA, transposeB },
              { shape: c.out, dtype: "float32" },
              Math.sqrt(c.k),
            );
          }
        }
        for (const m of [3, 8]) {
          const ai = rand([2, m, 9], "int32", -20, 20);
          const bi = rand([2, 9, 5], "int32", -20, 20);
          compare(
            "BatchMatMul",
            [ai, bi],
            { transposeA: false, transposeB: false },
            { shape: [2, m, 5], dtype: "int32" },
            0,
          );
        }
      });

      it("gives zeros for an empty inner dimension", () => {
        const got = runOn(
          tested(),
          "BatchMatMul",
          [rand([1, 2, 0]), rand([1, 0, 3])],
          { transposeA: false, transposeB: false },
          { shape: [1, 2, 3], dtype: "float32" },
        );
        expect(Array.from(got)).toEqual([0, 0, 0, 0, 0, 0]);
      });
    });

    interface ConvCase {
      x: [number, number, number, number];
      f: [number, number];
      inC: number;
      outC: number;
      attrs: Conv2DAttrs;
    }

    const CONV_CASES: ConvCase[] = [
      {
        x: [1, 5, 5, 1],
        f: [3, 3],
        inC: 1,
        outC: 1,
        attrs: { strides: [1, 1], dilations: [1, 1], pad: pad(0, 0, 0, 0) },
      },
      {
        x: [2, 7, 6, 3],
        f: [3, 2],
        inC: 3,
        outC: 5,
        attrs: { strides: [1, 1], dilations: [1, 1], pad: pad(1, 1, 0, 1) },
      },
      {
        x: [1, 9, 8, 2],
        f: [3, 3],
        inC: 2,
        outC: 3,
        attrs: { strides: [2, 3], dilations: [1, 1], pad: pad(1, 1, 1, 1) },
      },
      {
        x: [2, 8, 8, 2],
        f: [2, 3],
        inC: 2,
        outC: 2,
        attrs: { strides: [1, 1], dilations: [2, 2], pad: pad(1, 1, 2, 2) },
      },
      {
        x: [1, 10, 7, 3],
        f: [3, 3],
        inC: 3,
        outC: 4,
        attrs: { strides: [2, 2], dilations: [1, 2], pad: pad(0, 1, 2, 1) },
      },
      {
        x: [1, 4, 4, 1],
        f: [1, 1],
        inC: 1,
        outC: 3,
        attrs: { strides: [3, 3], dilations: [1, 1], pad: pad(0, 0, 0, 0) },
      },
      // channel counts that are multiples of 4 run with SIMD lanes along the channels
      {
        x: [2, 6, 5, 8],
        f: [3, 3],
        inC: 8,
        outC: 16,
        attrs: { strides: [2, 1], dilations: [1, 1], pad: pad(1, 1, 1, 1) },
      },
      // 4 output columns / 4 input channels per thread, with ragged ends, strides and dilations
      {
        x: [1, 9, 11, 13],
        f: [2, 3],
        inC: 13,
        outC: 12,
        attrs: { strides: [1, 2], dilations: [2, 1], pad: pad(1, 0, 2, 1) },
      },
      {
        x: [1, 7, 12, 8],
        f: [3, 3],
        inC: 8,
        outC: 8,
        attrs: { strides: [2, 2], dilations: [1, 1], pad: pad(1, 1, 1, 1) },
      },
      {
        x: [2, 8, 10, 8],
        f: [3, 3],
        inC: 8,
        outC: 4,
        attrs: { strides: [1, 1], dilations: [1, 1], pad: pad(1, 1, 1, 1) },
      },
    ];

    const convOut = (c: ConvCase, channels: number) => windowOutShape(c.x, c.f, c.attrs, channels);

    describe("convolutions", () => {
      it("Conv2D and its gradients match the cpu backend over strides, padding and dilations", () => {
        for (const c of CONV_CASES) {
          const filterShape = [c.f[0], c.f[1], c.inC, c.outC];
          const x = rand(c.x);
          const filter = rand(filterShape);
          const out = convOut(c, c.outC);
          const terms = Math.sqrt(c.f[0] * c.f[1] * c.inC);
          compare("Conv2D", [x, filter], c.attrs, { shape: out, dtype: "float32" }, terms);
          const dy = rand(out);
          compare(
            "Conv2DBackpropInput",
            [dy, filter],
            { ...c.attrs, inShape: c.x },
            { shape: c.x, dtype: "float32" },
            terms,
          );
          compare(
            "Conv2DBackpropFilter",
            [x, dy],
            { ...c.attrs, filterShape },
            { shape: filterShape, dtype: "float32" },
            Math.sqrt(out[0]! * out[1]! * out[2]!),
          );
        }
      });

      it("DepthwiseConv2D and its gradients match the cpu backend", ({ skip }) => {
        // a backend without them (native) runs them on cpu through the engine: native-backend.test.ts
        if (!tested().kernels.DepthwiseConv2D) skip(`${tested().name} falls back to cpu for the depthwise kernels`);
        for (const c of CONV_CASES) {
          const mult = c.outC % 3 === 0 ? 1 : 2;
          const filterShape = [c.f[0], c.f[1], c.inC, mult];
          const x = rand(c.x);
          const filter = rand(filterShape);
          const out = convOut(c, c.inC * mult);
          compare("DepthwiseConv2D", [x, filter], c.attrs, { shape: out, dtype: "float32" }, c.f[0] * c.f[1]);
          const dy = rand(out);
          compare(
            "DepthwiseConv2DBackpropInput",
            [dy, filter],
            { ...c.attrs, inShape: c.x },
            { shape: c.x, dtype: "float32" },
            c.f[0] * c.f[1],
          );
          compare(
            "DepthwiseConv2DBackpropFilter",
            [x, dy],
            { ...c.attrs, filterShape },
            { shape: filterShape, dtype: "float32" },
            Math.sqrt(out[0]! * out[1]! * out[2]!),
          );
        }
      });

      it("Conv2D of a 3x3 box filter gives hand-computed window sums", () => {
        const x = tensor(
          Array.from({ length: 16 }, (_, k) => k),
          [1, 4, 4, 1],
        );
        const ones = tensor(new Array(9).fill(1), [3, 3, 1, 1]);
        const attrs = {
          strides: [1, 1] as [number, number],
          dilations: [1, 1] as [number, number],
          pad: pad(0, 0, 0, 0),
        };
        const got = runOn(tested(), "Conv2D", [x, ones], attrs, { shape: [1, 2, 2, 1], dtype: "float32" });
        // windows centred on (1,1), (1,2), (2,1), (2,2): 9 × the centre value
        expect(Array.from(got)).toEqual([45, 54, 81, 90]);
      });
    });

    const POOL_CASES: { x: [number, number, number, number]; attrs: Pool2DAttrs }[] = [
      { x: [1, 4, 4, 1], attrs: { filterSize: [2, 2], strides: [2, 2], pad: pad(0, 0, 0, 0) } },
      { x: [2, 7, 5, 3], attrs: { filterSize: [3, 3], strides: [2, 2], pad: pad(1, 1, 1, 1) } },
      { x: [1, 6, 9, 2], attrs: { filterSize: [2, 3], strides: [1, 2], pad: pad(0, 1, 1, 1) } },
      { x: [1, 5, 5, 1], attrs: { filterSize: [3, 3], strides: [1, 1], pad: pad(1, 1, 1, 1) } },
      { x: [1, 3, 3, 4], attrs: { filterSize: [1, 1], strides: [2, 2], pad: pad(0, 0, 0, 0) } },
      { x: [2, 7, 6, 8], attrs: { filterSize: [3, 2], strides: [2, 2], pad: pad(1, 1, 0, 1) } },
    ];

    describe("pooling", () => {
      it("MaxPool, AvgPool and their gradients match the cpu backend", () => {
        for (const c of POOL_CASES) {
          const out = windowOutShape(c.x, c.attrs.filterSize, c.attrs, c.x[3]);
          const x = rand(c.x);
          compare("MaxPool", [x], c.attrs, { shape: out, dtype: "float32" }, 0);
          compare("AvgPool", [x], c.attrs, { shape: out, dtype: "float32" });
          const dy = rand(out);
          compare("MaxPoolGrad", [dy, x], c.attrs, { shape: c.x, dtype: "float32" });
          compare("AvgPoolGrad", [dy], { ...c.attrs, inShape: c.x }, { shape: c.x, dtype: "float32" });
        }
      });

      it("MaxPool and MaxPoolGrad treat NaN and -Infinity like cpu (5 channels: vector lanes and a tail)", () => {
        const x = rand([1, 4, 4, 5]);
        for (const k of [0, 7, 13, 21, 40, 41, 66]) x.values[k] = Number.NaN;
        for (const k of [2, 30, 55]) x.values[k] = Number.NEGATIVE_INFINITY;
        const attrs: Pool2DAttrs = { filterSize: [2, 2], strides: [1, 1], pad: pad(0, 1, 0, 1) };
        compare("MaxPool", [x], attrs, { shape: [1, 4, 4, 5], dtype: "float32" }, 0);
        compare("MaxPoolGrad", [rand([1, 4, 4, 5]), x], attrs, { shape: [1, 4, 4, 5], dtype: "float32" });
      });

      it("MaxPoolGrad routes ties to the first maximum of each window", () => {
        const x = tensor([1, 1, 1, 1], [1, 2, 2, 1]);
        const dy = tensor([5], [1, 1, 1, 1]);
        const attrs = {
          filterSize: [2, 2] as [number, number],
          strides: [2, 2] as [number, number],
          pad: pad(0, 0, 0, 0),
        };
        expect(
          Array.from(runOn(tested(), "MaxPoolGrad", [dy, x], attrs, { shape: [1, 2, 2, 1], dtype: "float32" })),
        ).toEqual([5, 0, 0, 0]);
      });
    });
  },
  { except: ["cpu"] },
);
