import { describe, expect, it } from "vitest";
import type { Conv2DAttrs } from "../../src/runtime/kernels.js";
import { dot, expectClose, randomValues, run, tensor } from "./cpu-helpers.js";
import { pad, windowOutShape } from "./kernel-cases.js";

const noPad = pad(0, 0, 0, 0);
const plain: Conv2DAttrs = { strides: [1, 1], pad: noPad, dilations: [1, 1] };

/**
 * Reference convolution built differently from the kernel: zero-pad the input into a bigger
 * array, spread the filter out with zeros between taps (dilation), then slide it with the stride.
 */
function referenceConv(
  x: Float32Array,
  xShape: number[],
  f: Float32Array,
  fShape: number[],
  a: Conv2DAttrs,
): { values: number[]; shape: number[] } {
  const [n, h, w, c] = xShape as [number, number, number, number];
  const [fh, fw, , o] = fShape as [number, number, number, number];
  const ph = h + a.pad.top + a.pad.bottom;
  const pw = w + a.pad.left + a.pad.right;
  const padded = new Float64Array(n * ph * pw * c);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++)
        for (let ch = 0; ch < c; ch++)
          padded[((b * ph + y + a.pad.top) * pw + xx + a.pad.left) * c + ch] = x[((b * h + y) * w + xx) * c + ch]!;
  const dh = (fh - 1) * a.dilations[0] + 1;
  const dw = (fw - 1) * a.dilations[1] + 1;
  const spread = new Float64Array(dh * dw * c * o);
  for (let y = 0; y < fh; y++)
    for (let xx = 0; xx < fw; xx++)
      for (let k = 0; k < c * o; k++)
        spread[(y * a.dilations[0] * dw + xx * a.dilations[1]) * c * o + k] = f[(y * fw + xx) * c * o + k]!;
  const oh = Math.floor((ph - dh) / a.strides[0]) + 1;
  const ow = Math.floor((pw - dw) / a.strides[1]) + 1;
  const values: number[] = [];
  for (let b = 0; b < n; b++)
    for (let y = 0; y < oh; y++)
      for (let xx = 0; xx < ow; xx++)
        for (let oc = 0; oc < o; oc++) {
          let s = 0;
          for (let i = 0; i < dh; i++)
            for (let j = 0; j < dw; j++)
              for (let ch = 0; ch < c; ch++)
                s +=
                  padded[((b * ph + y * a.strides[0] + i) * pw + xx * a.strides[1] + j) * c + ch]! *
                  spread[((i * dw + j) * c + ch) * o + oc]!;
          values.push(s);
        }
  return { values, shape: [n, oh, ow, o] };
}

interface Config {
  name: string;
  x: number[];
  f: number[];
  attrs: Conv2DAttrs;
}

const configs: Config[] = [
  { name: "valid, stride 1", x: [2, 5, 5, 3], f: [3, 3, 3, 4], attrs: plain },
  {
    name: "same padding, stride 2",
    x: [1, 6, 7, 2],
    f: [3, 3, 2, 3],
    attrs: { strides: [2, 2], pad: pad(1, 1, 1, 1), dilations: [1, 1] },
  },
  {
    name: "asymmetric padding, uneven strides",
    x: [1, 5, 6, 2],
    f: [2, 3, 2, 2],
    attrs: { strides: [2, 3], pad: pad(0, 1, 2, 1), dilations: [1, 1] },
  },
  {
    name: "dilation 2",
    x: [1, 7, 7, 2],
    f: [3, 2, 2, 3],
    attrs: { strides: [1, 1], pad: pad(2, 2, 1, 1), dilations: [2, 3] },
  },
  {
    name: "1×1 filter, stride 2",
    x: [2, 4, 4, 3],
    f: [1, 1, 3, 2],
    attrs: { strides: [2, 2], pad: noPad, dilations: [1, 1] },
  },
];

const outShapeOf = (c: Config) => windowOutShape(c.x, c.f, c.attrs, c.f[3]!);

const size = (s: number[]): number => s.reduce((p, d) => p * d, 1);

/** Random x, filter and dy (seeded) for the adjoint identities of a convolution. */
function adjointInputs(xShape: number[], fShape: number[], outShape: number[], seed: number) {
  const xv = randomValues(size(xShape), seed);
  const fv = randomValues(size(fShape), seed + 1);
  const dyv = randomValues(size(outShape), seed + 2);
  return { xv, fv, dyv, x: tensor(xv, xShape), f: tensor(fv, fShape), dy: tensor(dyv, outShape) };
}

/**
 * A convolution is linear in x and in the filter, so its gradients are its adjoints:
 * <dy, conv(x, f)> = <backpropInput(dy, f), x> = <backpropFilter(x, dy), f>.
 */
function expectAdjoints(
  v: ReturnType<typeof adjointInputs>,
  y: ArrayLike<number>,
  dx: ArrayLike<number>,
  df: ArrayLike<number>,
): void {
  const lhs = dot(v.dyv, y);
  expect(Math.abs(dot(dx, v.xv) - lhs)).toBeLessThan(1e-4 * (1 + Math.abs(lhs)));
  expect(Math.abs(dot(df, v.fv) - lhs)).toBeLessThan(1e-4 * (1 + Math.abs(lhs)));
}

describe("cpu Conv2D", () => {
  it("slides a 2×2 filter over a 3×3 image", () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const f = tensor([1, 2, 3, 4], [2, 2, 1, 1]);
    // top-left window [1 2; 4 5] · [1 2; 3 4] = 1 + 4 + 12 + 20
    expectClose(run("Conv2D", [x, f], plain, [1, 2, 2, 1]), [37, 47, 67, 77]);
  });

  it("treats padding as zeros", () => {
    const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    const f = tensor(new Array(9).fill(1), [3, 3, 1, 1]);
    // Every 3×3 window centred on a pixel of a 2×2 image covers the whole image.
    expectClose(run("Conv2D", [x, f], { ...plain, pad: pad(1, 1, 1, 1) }, [1, 2, 2, 1]), [10, 10, 10, 10]);
  });

  for (const c of configs) {
    it(`matches a padded, dilated-filter reference: ${c.name}`, () => {
      const xv = randomValues(size(c.x), 21);
      const fv = randomValues(size(c.f), 22);
      const ref = referenceConv(xv, c.x, fv, c.f, c.attrs);
      expect(outShapeOf(c)).toEqual(ref.shape);
      expectClose(run("Conv2D", [tensor(xv, c.x), tensor(fv, c.f)], c.attrs, ref.shape), ref.values, 1e-5, 1e-6);
    });
  }

  it("rejects an output shape that does not follow from the attributes", () => {
    const x = tensor(new Array(9).fill(1), [1, 3, 3, 1]);
    const f = tensor(new Array(4).fill(1), [2, 2, 1, 1]);
    expect(() => run("Conv2D", [x, f], plain, [1, 3, 3, 1])).toThrow(/output height 3 does not match/);
  });

  it("rejects a filter whose input channels differ from the image's", () => {
    const x = tensor(new Array(18).fill(1), [1, 3, 3, 2]);
    const f = tensor(new Array(4).fill(1), [2, 2, 1, 1]);
    expect(() => run("Conv2D", [x, f], plain, [1, 2, 2, 1])).toThrow(
      /filter has shape \[2,2,1,1\], expected \[2,2,2,1\]/,
    );
  });
});

describe("cpu Conv2D gradients", () => {
  it("Conv2DBackpropInput of ones counts the windows covering each pixel", () => {
    const dy = tensor([1, 1, 1, 1], [1, 2, 2, 1]);
    const f = tensor([1, 1, 1, 1], [2, 2, 1, 1]);
    expectClose(
      run("Conv2DBackpropInput", [dy, f], { ...plain, inShape: [1, 3, 3, 1] }, [1, 3, 3, 1]),
      [1, 2, 1, 2, 4, 2, 1, 2, 1],
    );
  });

  it("Conv2DBackpropFilter of ones sums the pixels each tap saw", () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const dy = tensor([1, 1, 1, 1], [1, 2, 2, 1]);
    // tap (0,0) saw 1,2,4,5; tap (0,1) saw 2,3,5,6; …
    expectClose(
      run("Conv2DBackpropFilter", [x, dy], { ...plain, filterShape: [2, 2, 1, 1] }, [2, 2, 1, 1]),
      [12, 16, 24, 28],
    );
  });

  for (const c of configs) {
    it(`satisfy the adjoint (dot-product) identities: ${c.name}`, () => {
      const outShape = outShapeOf(c);
      const v = adjointInputs(c.x, c.f, outShape, 31);
      expectAdjoints(
        v,
        run("Conv2D", [v.x, v.f], c.attrs, outShape),
        run("Conv2DBackpropInput", [v.dy, v.f], { ...c.attrs, inShape: c.x }, c.x),
        run("Conv2DBackpropFilter", [v.x, v.dy], { ...c.attrs, filterShape: c.f }, c.f),
      );
    });
  }

  it("Conv2DBackpropFilter matches a finite difference of Conv2D", () => {
    const c = configs[1]!;
    const outShape = outShapeOf(c);
    const xv = randomValues(size(c.x), 41);
    const fv = randomValues(size(c.f), 42);
    const dyv = randomValues(size(outShape), 43);
    const loss = (fvals: Float32Array): number =>
      dot(dyv, run("Conv2D", [tensor(xv, c.x), tensor(fvals, c.f)], c.attrs, outShape));
    const df = run(
      "Conv2DBackpropFilter",
      [tensor(xv, c.x), tensor(dyv, outShape)],
      { ...c.attrs, filterShape: c.f },
      c.f,
    );
    for (const i of [0, 7, fv.length - 1]) {
      const h = 1e-2;
      const plus = Float32Array.from(fv);
      const minus = Float32Array.from(fv);
      plus[i]! += h;
      minus[i]! -= h;
      expect(Math.abs((loss(plus) - loss(minus)) / (2 * h) - df[i]!)).toBeLessThan(2e-3);
    }
  });

  it("Conv2DBackpropInput rejects an inShape that differs from the output shape", () => {
    const dy = tensor([1, 1, 1, 1], [1, 2, 2, 1]);
    const f = tensor([1, 1, 1, 1], [2, 2, 1, 1]);
    expect(() => run("Conv2DBackpropInput", [dy, f], { ...plain, inShape: [1, 3, 3, 1] }, [1, 3, 4, 1])).toThrow(
      /Conv2DBackpropInput/,
    );
  });
});

describe("cpu DepthwiseConv2D", () => {
  it("convolves each channel with its own filters", () => {
    // Two channels, multiplier 2: channel 0 × [1, 0; 0, 0] and [0, 0; 0, 1]; channel 1 × all-ones and all-twos.
    const xv = [1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60, 7, 70, 8, 80, 9, 90]; // [1, 3, 3, 2]
    const fv: number[] = [];
    const taps = [
      [1, 0, 1, 2],
      [0, 0, 1, 2],
      [0, 0, 1, 2],
      [0, 1, 1, 2],
    ];
    for (const t of taps) fv.push(...t); // per tap: (c0,m0), (c0,m1), (c1,m0), (c1,m1)
    const out = run("DepthwiseConv2D", [tensor(xv, [1, 3, 3, 2]), tensor(fv, [2, 2, 2, 2])], plain, [1, 2, 2, 4]);
    // window top-left of channel 0: [1 2; 4 5]; channel 1: [10 20; 40 50]
    expectClose(out, [1, 5, 120, 240, 2, 6, 160, 320, 4, 8, 240, 480, 5, 9, 280, 560]);
  });

  for (const c of configs) {
    it(`equals a Conv2D per (channel, multiplier) pair: ${c.name}`, () => {
      const [n, h, w, ch] = c.x as [number, number, number, number];
      const mult = 2;
      const fShape = [c.f[0]!, c.f[1]!, ch, mult];
      const xv = randomValues(size(c.x), 51);
      const fv = randomValues(size(fShape), 52);
      const outShape = outShapeOf({ ...c, f: fShape });
      outShape[3] = ch * mult;
      const out = run("DepthwiseConv2D", [tensor(xv, c.x), tensor(fv, fShape)], c.attrs, outShape);
      const pixels = n * outShape[1]! * outShape[2]!;
      for (let k = 0; k < ch; k++) {
        const xk = new Float32Array(n * h * w);
        for (let p = 0; p < xk.length; p++) xk[p] = xv[p * ch + k]!;
        for (let m = 0; m < mult; m++) {
          const fk = new Float32Array(fShape[0]! * fShape[1]!);
          for (let t = 0; t < fk.length; t++) fk[t] = fv[(t * ch + k) * mult + m]!;
          const single = run(
            "Conv2D",
            [tensor(xk, [n, h, w, 1]), tensor(fk, [fShape[0]!, fShape[1]!, 1, 1])],
            c.attrs,
            [n, outShape[1]!, outShape[2]!, 1],
          );
          const column = Array.from({ length: pixels }, (_, p) => out[p * ch * mult + k * mult + m]!);
          expectClose(column, single, 1e-6, 1e-6);
        }
      }
    });

    it(`gradients satisfy the adjoint identities: ${c.name}`, () => {
      const mult = 3;
      const ch = c.x[3]!;
      const fShape = [c.f[0]!, c.f[1]!, ch, mult];
      const outShape = outShapeOf({ ...c, f: fShape });
      outShape[3] = ch * mult;
      const v = adjointInputs(c.x, fShape, outShape, 61);
      expectAdjoints(
        v,
        run("DepthwiseConv2D", [v.x, v.f], c.attrs, outShape),
        run("DepthwiseConv2DBackpropInput", [v.dy, v.f], { ...c.attrs, inShape: c.x }, c.x),
        run("DepthwiseConv2DBackpropFilter", [v.x, v.dy], { ...c.attrs, filterShape: fShape }, fShape),
      );
    });
  }

  it("rejects an output whose channels are not inC × multiplier", () => {
    const x = tensor(new Array(18).fill(1), [1, 3, 3, 2]);
    const f = tensor(new Array(8).fill(1), [2, 2, 2, 1]);
    expect(() => run("DepthwiseConv2D", [x, f], plain, [1, 2, 2, 3])).toThrow(/DepthwiseConv2D: filter/);
  });
});
