import { describe, expect, it } from "vitest";
import type { Pool2DAttrs } from "../../src/runtime/kernels.js";
import { dot, expectClose, randomValues, run, tensor } from "./cpu-helpers.js";
import { pad } from "./kernel-cases.js";

const iota = (n: number, start = 1): number[] => Array.from({ length: n }, (_, i) => i + start);
const twoByTwo: Pool2DAttrs = { filterSize: [2, 2], strides: [2, 2], pad: pad(0, 0, 0, 0) };
const threeSame: Pool2DAttrs = { filterSize: [3, 3], strides: [1, 1], pad: pad(1, 1, 1, 1) };

/**
 * Expects the pooling gradient to be the adjoint of the pooling at random x and dy:
 * <dy, pool(x)> = <grad(dy), x> (max pooling is linear once x fixes where each maximum is).
 */
function expectAdjoint(
  pool: "MaxPool" | "AvgPool",
  shape: number[],
  outShape: number[],
  attrs: Pool2DAttrs,
  seed: number,
): void {
  const xv = randomValues(
    shape.reduce((a, b) => a * b, 1),
    seed,
  );
  const dyv = randomValues(
    outShape.reduce((a, b) => a * b, 1),
    seed + 1,
  );
  const y = run(pool, [tensor(xv, shape)], attrs, outShape);
  const dx =
    pool === "MaxPool"
      ? run("MaxPoolGrad", [tensor(dyv, outShape), tensor(xv, shape)], attrs, shape)
      : run("AvgPoolGrad", [tensor(dyv, outShape)], { ...attrs, inShape: shape }, shape);
  expect(Math.abs(dot(dyv, y) - dot(dx, xv))).toBeLessThan(1e-5);
}

describe("cpu MaxPool", () => {
  it("takes the max of each 2×2 block", () => {
    expectClose(run("MaxPool", [tensor(iota(16), [1, 4, 4, 1])], twoByTwo, [1, 2, 2, 1]), [6, 8, 14, 16]);
  });

  it("ignores padding (all-negative input keeps negative maxima)", () => {
    const x = tensor(
      iota(9).map((v) => -v),
      [1, 3, 3, 1],
    );
    // Window of (0,0) covers -1 -2 / -4 -5; a zero from padding would win if it counted.
    expectClose(run("MaxPool", [x], threeSame, [1, 3, 3, 1]), [-1, -1, -2, -1, -1, -2, -4, -4, -5]);
  });

  it("pools channels and batches independently with uneven strides", () => {
    // x [2, 2, 3, 2]: value = 100·batch + 10·row + col, channel 1 is the negation of channel 0.
    const xv: number[] = [];
    for (let b = 0; b < 2; b++)
      for (let r = 0; r < 2; r++) for (let c = 0; c < 3; c++) xv.push(100 * b + 10 * r + c, -(100 * b + 10 * r + c));
    const attrs: Pool2DAttrs = { filterSize: [2, 2], strides: [1, 2], pad: pad(0, 0, 0, 1) };
    // columns {0,1} and {2, pad}
    expectClose(run("MaxPool", [tensor(xv, [2, 2, 3, 2])], attrs, [2, 1, 2, 2]), [11, 0, 12, -2, 111, -100, 112, -102]);
  });
});

describe("cpu MaxPoolGrad", () => {
  it("routes each gradient to the first maximum of its window", () => {
    const x = tensor([3, 3, 1, 3], [1, 2, 2, 1]);
    const dy = tensor([5], [1, 1, 1, 1]);
    const attrs: Pool2DAttrs = { filterSize: [2, 2], strides: [1, 1], pad: pad(0, 0, 0, 0) };
    expectClose(run("MaxPoolGrad", [dy, x], attrs, [1, 2, 2, 1]), [5, 0, 0, 0]);
  });

  it("accumulates overlapping windows and never routes to padding", () => {
    const xv = iota(9).map((v) => -v); // maxima sit at the top-left of each window
    const dyv = iota(9, 10);
    const dx = run("MaxPoolGrad", [tensor(dyv, [1, 3, 3, 1]), tensor(xv, [1, 3, 3, 1])], threeSame, [1, 3, 3, 1]);
    // From the forward test: outputs at (0,0),(0,1),(1,0),(1,1) pick -1; (0,2),(1,2) pick -2; (2,0),(2,1) pick -4; (2,2) picks -5.
    expectClose(dx, [10 + 11 + 13 + 14, 12 + 15, 0, 16 + 17, 18, 0, 0, 0, 0]);
  });

  it("is the adjoint of MaxPool at a fixed input (<dy, maxpool(x)> = <grad, x>)", () => {
    expectAdjoint(
      "MaxPool",
      [2, 5, 6, 3],
      [2, 3, 3, 3],
      { filterSize: [3, 2], strides: [2, 2], pad: pad(1, 1, 0, 1) },
      71,
    );
  });
});

describe("cpu AvgPool", () => {
  it("averages each 2×2 block", () => {
    expectClose(run("AvgPool", [tensor(iota(16), [1, 4, 4, 1])], twoByTwo, [1, 2, 2, 1]), [3.5, 5.5, 11.5, 13.5]);
  });

  it("divides by the number of real (non-padding) elements", () => {
    // corner (0,0): (1+2+4+5)/4; edge (0,1): (1+…+6)/6; centre: 45/9
    expectClose(
      run("AvgPool", [tensor(iota(9), [1, 3, 3, 1])], threeSame, [1, 3, 3, 1]),
      [3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7],
    );
  });
});

describe("cpu AvgPoolGrad", () => {
  it("spreads each gradient evenly over the real elements of its window", () => {
    const dy = tensor([4, 0, 0, 0, 0, 0, 0, 0, 9], [1, 3, 3, 1]);
    const dx = run("AvgPoolGrad", [dy], { ...threeSame, inShape: [1, 3, 3, 1] }, [1, 3, 3, 1]);
    // dy(0,0)=4 over its 4 real elements; dy(2,2)=9 over its 4 real elements.
    expectClose(dx, [1, 1, 0, 1, 1 + 2.25, 2.25, 0, 2.25, 2.25]);
  });

  it("is the adjoint of AvgPool", () => {
    expectAdjoint(
      "AvgPool",
      [2, 5, 4, 3],
      [2, 3, 4, 3],
      { filterSize: [2, 3], strides: [2, 1], pad: pad(1, 0, 1, 1) },
      81,
    );
  });

  it("rejects a dy shape that does not follow from inShape and the window", () => {
    expect(() =>
      run("AvgPoolGrad", [tensor([1, 2, 3, 4], [1, 2, 2, 1])], { ...twoByTwo, inShape: [1, 4, 4, 1] }, [1, 4, 4, 1]),
    ).not.toThrow();
    expect(() =>
      run("AvgPoolGrad", [tensor([1], [1, 1, 1, 1])], { ...twoByTwo, inShape: [1, 4, 4, 1] }, [1, 4, 4, 1]),
    ).toThrow(/AvgPoolGrad: output height 1 does not match input height 4/);
  });
});
