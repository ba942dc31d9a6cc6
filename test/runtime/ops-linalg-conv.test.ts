import { expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { expectGradOk, expectValues, forEachBackend } from "./backends.js";

/** Deterministic small values in [-1, 1). */
function seq(shape: number[], offset = 0): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Array.from({ length: n }, (_, i) => (((i * 7 + offset * 3) % 11) - 5) / 5.5),
    shape,
  );
}

/** Distinct values (a permutation scaled to [-1, 1)), so max windows have no ties. */
function distinct(shape: number[]): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  let step = 7;
  while (gcd(step, n) !== 1) step++;
  return tf.tensor(
    Array.from({ length: n }, (_, i) => ((i * step) % n) / (n / 2) - 1),
    shape,
  );
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

forEachBackend(({ tol }) => {
  it("matMul by hand, with transposes", () => {
    const a = tf.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tf.tensor([
      [7, 8],
      [9, 10],
      [11, 12],
    ]);
    const ab = [
      [58, 64],
      [139, 154],
    ];
    expectValues(tf.matMul(a, b), ab, tol());
    expectValues(a.transpose().matMul(b, true, false), ab, tol());
    expectValues(tf.matMul(a, b.transpose(), false, true), ab, tol());
    expectValues(tf.matMul(a.transpose(), b.transpose(), true, true), ab, tol());
  });

  it("matMul broadcasts batch axes", () => {
    const a = seq([2, 1, 2, 3]);
    const b = seq([3, 3, 4], 1);
    const y = tf.matMul(a, b);
    expect(y.shape).toEqual([2, 3, 2, 4]);
    const direct = tf.matMul(
      tf.reshape(tf.slice(a, [1, 0, 0, 0], [1, 1, 2, 3]), [2, 3]),
      tf.reshape(tf.slice(b, [2, 0, 0], [1, 3, 4]), [3, 4]),
    );
    expectValues(tf.reshape(tf.slice(y, [1, 2, 0, 0], [1, 1, 2, 4]), [2, 4]), direct.arraySync() as number[][], tol());
  });

  it("matMul gradients (all transpose combinations, broadcasting batch)", () => {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const a = ta ? seq([3, 2]) : seq([2, 3]);
      const b = tb ? seq([4, 3], 2) : seq([3, 4], 2);
      expectGradOk((x, y) => tf.matMul(x, y, ta, tb), [a, b]);
    }
    expectGradOk((x, y) => tf.matMul(x, y), [seq([2, 1, 2, 3]), seq([3, 3, 2], 1)]);
  });

  it("matMul of int32 and float32 casts up to float32, as TF.js does (int32 features into a dense layer)", () => {
    const counts = tf.tensor2d([[1, 0, 2]], [1, 3], "int32");
    const kernel = tf.tensor2d([[0.5], [3], [0.25]]);
    const y = tf.matMul(counts, kernel);
    expect(y.dtype).toBe("float32");
    expectValues(y, [[1]], tol());
    const dKernel = tf.grad((k: tf.Tensor) => tf.matMul(counts, k).sum())(kernel);
    expectValues(dKernel, [[1], [0], [2]], tol());
  });

  it("matMul shape errors name the shapes", () => {
    expect(() => tf.matMul(tf.ones([2, 3]), tf.ones([4, 5]))).toThrow(
      "matMul: inner dimensions differ: [2,3] × [4,5] (3 vs 4)",
    );
    expect(() => tf.matMul(tf.ones([3]), tf.ones([3, 1]))).toThrow(/matMul: both inputs need rank >= 2/);
  });

  it("cumsum (exclusive, reverse, other axes, int32)", () => {
    expectValues(tf.cumsum(tf.tensor([1, 2, 3])), [1, 3, 6]);
    expectValues(tf.cumsum(tf.tensor([1, 2, 3]), 0, true), [0, 1, 3]);
    expectValues(tf.cumsum(tf.tensor([1, 2, 3]), 0, false, true), [6, 5, 3]);
    expectValues(
      tf
        .tensor([
          [1, 2],
          [3, 4],
        ])
        .cumsum(0),
      [
        [1, 2],
        [4, 6],
      ],
    );
    const ints = tf.cumsum(tf.tensor([1, 2, 3], undefined, "int32"));
    expect(ints.dtype).toBe("int32");
    expectValues(ints, [1, 3, 6]);
    expectGradOk((x) => tf.cumsum(x, 1, true), [seq([2, 3])]);
    expectGradOk((x) => tf.cumsum(x, 0, false, true), [seq([3, 2])]);
  });

  it("dot and outerProduct", () => {
    expectValues(tf.dot(tf.tensor([1, 2]), tf.tensor([3, 4])), 11);
    expectValues(
      tf.dot(
        tf.tensor([
          [1, 2],
          [3, 4],
        ]),
        tf.tensor([1, 1]),
      ),
      [3, 7],
    );
    expectValues(tf.outerProduct(tf.tensor([1, 2]), tf.tensor([3, 4, 5])), [
      [3, 4, 5],
      [6, 8, 10],
    ]);
  });

  it("conv2d by hand (valid, 1 channel)", () => {
    const x = tf.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const f = tf.tensor([1, 0, 0, -1], [2, 2, 1, 1]);
    // Each output: top-left minus bottom-right of the 2×2 window.
    expectValues(tf.conv2d(x, f, 1, "valid"), [1 - 5, 2 - 6, 4 - 8, 5 - 9], tol(), [1, 2, 2, 1]);
  });

  it("conv2d 'same' pads like TF (more at the bottom/right)", () => {
    const x = tf.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    const f = tf.ones([2, 2, 1, 1]);
    expectValues(tf.conv2d(x, f, 1, "same"), [1 + 2 + 3 + 4, 2 + 4, 3 + 4, 4], tol(), [1, 2, 2, 1]);
    expect(tf.conv2d(seq([1, 5, 5, 2]), seq([3, 3, 2, 4]), 2, "same").shape).toEqual([1, 3, 3, 4]);
    expect(tf.conv2d(seq([1, 5, 5, 2]), seq([3, 3, 2, 4]), 1, "valid", "NHWC", 2).shape).toEqual([1, 1, 1, 4]);
  });

  it("conv2d errors name the shapes", () => {
    expect(() => tf.conv2d(tf.ones([1, 4, 4, 3]), tf.ones([3, 3, 2, 1]), 1, "same")).toThrow(
      "conv2d: input channels differ: x [1,4,4,3] has 3, filter [3,3,2,1] expects 2",
    );
    expect(() => tf.conv2d(tf.ones([4, 4]), tf.ones([3, 3, 1, 1]), 1, "same")).toThrow(/conv2d: input must be rank 4/);
  });

  it("conv2d / conv1d / depthwise gradients", () => {
    expectGradOk((x, f) => tf.conv2d(x, f, 1, "same"), [seq([1, 4, 4, 2]), seq([3, 3, 2, 2], 1)]);
    expectGradOk((x, f) => tf.conv2d(x, f, 2, "valid"), [seq([2, 5, 5, 1]), seq([2, 2, 1, 3], 1)]);
    expectGradOk(
      (x, f) =>
        tf.conv2d(
          x,
          f,
          1,
          [
            [0, 0],
            [1, 0],
            [0, 2],
            [0, 0],
          ],
          "NHWC",
          2,
        ),
      [seq([1, 4, 4, 1]), seq([2, 2, 1, 2], 1)],
    );
    expectGradOk((x, f) => tf.conv1d(x, f, 1, "same"), [seq([2, 5, 2]), seq([3, 2, 2], 1)]);
    expectGradOk((x, f) => tf.depthwiseConv2d(x, f, 1, "same"), [seq([1, 4, 4, 2]), seq([3, 3, 2, 2], 1)]);
  });

  it("conv2dTranspose undoes conv2d's shape", () => {
    const y = tf.conv2dTranspose(seq([1, 2, 2, 3]), seq([3, 3, 2, 3], 1), [1, 4, 4, 2], 2, "same");
    expect(y.shape).toEqual([1, 4, 4, 2]);
    expectGradOk((x) => tf.conv2dTranspose(x, seq([3, 3, 2, 3], 1), [1, 4, 4, 2], 2, "same"), [seq([1, 2, 2, 3])]);
  });

  it("maxPool / avgPool by hand and gradients", () => {
    const x = tf.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 4, 4, 1]);
    expectValues(tf.maxPool(x, 2, 2, "valid"), [6, 8, 14, 16], tol(), [1, 2, 2, 1]);
    expectValues(tf.avgPool(x, 2, 2, "valid"), [3.5, 5.5, 11.5, 13.5], tol(), [1, 2, 2, 1]);
    // 'same' with a 3×3 window at stride 1: the corner averages only its 4 valid neighbours.
    const corner = tf.slice(tf.avgPool(x, 3, 1, "same"), [0, 0, 0, 0], [1, 1, 1, 1]);
    expectValues(corner, (1 + 2 + 5 + 6) / 4, tol(), [1, 1, 1, 1]);
    const g = tf.grad((t) => tf.maxPool(t, 2, 2, "valid"))(x);
    expectValues(g.reshape([16]), [0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1]);
    expectGradOk((t) => tf.maxPool(t, 3, 2, "same"), [distinct([1, 5, 5, 2])]);
    expectGradOk((t) => tf.avgPool(t, [2, 3], 1, "same"), [seq([2, 4, 4, 1])]);
  });

  it("batchNorm and dropout", () => {
    const x = tf.tensor([
      [1, 2],
      [3, 4],
    ]);
    const y = tf.batchNorm(x, tf.tensor([2, 3]), tf.tensor([1, 4]), tf.tensor([0.5, 0]), tf.tensor([2, 1]), 0);
    expectValues(
      y,
      [
        [-2 + 0.5, -0.5],
        [2 + 0.5, 0.5],
      ],
      tol(),
    );
    expectGradOk(
      (t, m, v) => tf.batchNorm(t, m, v, undefined, undefined, 0.1),
      [x, tf.tensor([2, 3]), tf.tensor([1, 4])],
    );
    const d1 = tf.dropout(tf.ones([1000]), 0.3, undefined, 5);
    const d2 = tf.dropout(tf.ones([1000]), 0.3, undefined, 5);
    expect(Array.from(d1.dataSync())).toEqual(Array.from(d2.dataSync()));
    const vals = Array.from(d1.dataSync());
    const kept = vals.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    expect(kept.length).toBeGreaterThan(630);
    expect(kept.length).toBeLessThan(770);
  });
});
