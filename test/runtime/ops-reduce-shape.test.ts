import { expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { expectGradOk, expectValues, forEachBackend } from "./backends.js";

const M = [
  [1, 5, 3],
  [4, 2, 6],
];
// A [2, 3, 2] tensor with distinct values: v[i][j][k] = 6i + 2j + k + 0.5·(j == 1)
const T3 = [0, 1].map((i) => [0, 1, 2].map((j) => [0, 1].map((k) => 6 * i + 2 * j + k + (j === 1 ? 0.5 : 0))));

forEachBackend(({ tol }) => {
  it("sum over all, an axis, several axes, keepDims", () => {
    expectValues(tf.sum(tf.tensor(M)), 21);
    expectValues(tf.tensor(M).sum(0), [5, 7, 9]);
    expectValues(tf.sum(tf.tensor(M), 1, true), [[9], [12]]);
    expectValues(tf.sum(tf.tensor(M), -1), [9, 12]);
    expectValues(tf.sum(tf.tensor(T3), [0, 2]), [0 + 1 + 6 + 7, 2.5 + 3.5 + 8.5 + 9.5, 4 + 5 + 10 + 11]);
    expect(tf.sum(tf.tensor([true, true, false])).dtype).toBe("int32");
  });

  it("mean, max, min, prod", () => {
    expectValues(tf.mean(tf.tensor(M)), 3.5);
    expectValues(tf.tensor(M).mean(1), [3, 4]);
    expectValues(tf.max(tf.tensor(M), 0), [4, 5, 6]);
    expectValues(tf.tensor(M).min(1, true), [[1], [2]]);
    expectValues(tf.prod(tf.tensor(M), 1), [15, 48]);
    expect(tf.mean(tf.tensor([1, 2], undefined, "int32")).dtype).toBe("float32");
  });

  it("argMax / argMin (int32, first index on ties)", () => {
    const a = tf.argMax(tf.tensor(M), 1);
    expect(a.dtype).toBe("int32");
    expectValues(a, [1, 2]);
    expectValues(tf.tensor(M).argMin(0), [0, 1, 0]);
    expectValues(tf.argMax(tf.tensor([3, 7, 7, 1])), 1);
  });

  it("any / all", () => {
    const b = tf.tensor([
      [true, false],
      [true, true],
    ]);
    expectValues(tf.any(b, 0), [true, true]);
    expectValues(tf.all(b, 1), [false, true]);
    expectValues(tf.all(b), false);
  });

  it("logSumExp, moments, norm", () => {
    const x = [1, 2, 3];
    expectValues(tf.logSumExp(tf.tensor(x)), Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), tol() * 10);
    expectValues(tf.logSumExp(tf.tensor([1000, 1000])), 1000 + Math.log(2), 1e-6);
    const { mean, variance } = tf.moments(tf.tensor(M), 0);
    expectValues(mean, [2.5, 3.5, 4.5]);
    expectValues(variance, [2.25, 2.25, 2.25]);
    expectValues(tf.norm(tf.tensor([3, 4])), 5, tol() * 10);
    expectValues(tf.norm(tf.tensor([3, -4]), 1), 7);
    expectValues(tf.norm(tf.tensor([3, -4]), Infinity), 4);
  });

  it("reduction gradients", () => {
    const x = tf.tensor(T3);
    expectGradOk((t) => tf.sum(t, [0, 2]), [x]);
    expectGradOk((t) => tf.mean(t, 1, true), [x]);
    expectGradOk((t) => tf.max(t, 1), [x]);
    expectGradOk((t) => tf.min(t, [0, 1]), [x]);
    expectGradOk((t) => tf.prod(t, 2), [tf.tensor(T3).add(1)]);
    expectGradOk((t) => tf.logSumExp(t, -1), [x]);
    expectGradOk((t) => tf.moments(t, [0, 1]).variance, [x]);
    expectGradOk((t) => tf.norm(t), [x.add(1)]);
  });

  it("reshape shares data and checks sizes", () => {
    const x = tf.tensor(M);
    const r = x.reshape([3, -1]);
    expectValues(r, [
      [1, 5],
      [3, 4],
      [2, 6],
    ]);
    expect(r.dataId).toBe(x.dataId);
    expect(() => x.reshape([4, 2])).toThrow(
      "reshape: cannot reshape a tensor of shape [2,3] (6 elements) into [4,2] (8 elements)",
    );
    expect(tf.flatten(tf.tensor(T3)).shape).toEqual([12]);
    expect(tf.flatten(tf.tensor(T3), 1).shape).toEqual([2, 6]);
  });

  it("transpose, expandDims, squeeze", () => {
    expectValues(tf.transpose(tf.tensor(M)), [
      [1, 4],
      [5, 2],
      [3, 6],
    ]);
    const t = tf.transpose(tf.tensor(T3), [2, 0, 1]);
    expect(t.shape).toEqual([2, 2, 3]);
    expectValues(t.slice([1, 1, 2], [1, 1, 1]).reshape([]), T3[1][2][1]);
    expect(tf.expandDims(tf.tensor([1, 2]), 1).shape).toEqual([2, 1]);
    expect(tf.squeeze(tf.zeros([1, 3, 1])).shape).toEqual([3]);
    expect(() => tf.squeeze(tf.zeros([2, 3]), 0)).toThrow(/squeeze: axis 0 of shape \[2,3\] has length 2/);
    expectGradOk((x) => tf.transpose(x, [1, 2, 0]), [tf.tensor(T3)]);
  });

  it("concat, stack, unstack, split", () => {
    const a = tf.tensor([[1, 2]]);
    const b = tf.tensor([[3, 4]]);
    expectValues(tf.concat([a, b]), [
      [1, 2],
      [3, 4],
    ]);
    expectValues(a.concat(b, 1), [[1, 2, 3, 4]]);
    expectValues(tf.stack([tf.tensor([1, 2]), tf.tensor([3, 4])], 1), [
      [1, 3],
      [2, 4],
    ]);
    const parts = tf.unstack(tf.tensor(M), 1);
    expect(parts.length).toBe(3);
    expectValues(parts[2], [3, 6]);
    const [p, q] = tf.split(tf.tensor(M), [1, -1], 1);
    expectValues(p, [[1], [4]]);
    expectValues(q, [
      [5, 3],
      [2, 6],
    ]);
    expect(() => tf.concat([tf.zeros([2, 2]), tf.zeros([3, 3])], 0)).toThrow(
      "concat: shapes [2,2], [3,3] differ outside axis 0",
    );
    expect(() => tf.split(tf.zeros([5]), 2)).toThrow(/does not split into 2 equal parts/);
    expectGradOk(
      (x, y) => tf.concat([x, y], 1).mul(tf.tensor([[1, 2, 3, 4]])),
      [
        tf.tensor([[1], [2]]),
        tf.tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ],
    );
    expectGradOk((x) => tf.stack(tf.split(x, 3, 1), 0), [tf.tensor(M)]);
    // Pieces that do not reach the result get zero gradient; a piece used twice gets both.
    expectGradOk(
      (x) => {
        const [u, , w] = tf.split(x, [1, 1, 1], 1);
        return u.mul(w).add(w.square());
      },
      [tf.tensor(M)],
    );
    const g = tf.grad((x) =>
      tf
        .unstack(x, 1)[2]
        .mul(tf.tensor([5, 7]))
        .sum(),
    )(tf.tensor(M));
    expectValues(g, [
      [0, 0, 5],
      [0, 0, 7],
    ]);
  });

  it("slice, pad, reverse, tile", () => {
    expectValues(tf.slice(tf.tensor(M), [0, 1], [2, 2]), [
      [5, 3],
      [2, 6],
    ]);
    expectValues(tf.tensor(M).slice([1]), [[4, 2, 6]]);
    expectValues(
      tf.pad(
        tf.tensor([[1, 2]]),
        [
          [1, 0],
          [0, 2],
        ],
        9,
      ),
      [
        [9, 9, 9, 9],
        [1, 2, 9, 9],
      ],
    );
    expectValues(tf.reverse(tf.tensor(M), 1), [
      [3, 5, 1],
      [6, 2, 4],
    ]);
    expectValues(tf.tile(tf.tensor([[1, 2]]), [2, 2]), [
      [1, 2, 1, 2],
      [1, 2, 1, 2],
    ]);
    expect(() => tf.slice(tf.tensor(M), [1, 1], [2, 2])).toThrow(/slice: .* out of bounds for shape \[2,3\]/);
    expectGradOk((x) => tf.slice(x, [0, 1, 0], [2, 2, 1]), [tf.tensor(T3)]);
    expectGradOk(
      (x) =>
        tf.pad(x, [
          [1, 2],
          [0, 1],
        ]),
      [tf.tensor(M)],
    );
    expectGradOk((x) => tf.reverse(x, [0, 2]), [tf.tensor(T3)]);
    expectGradOk((x) => tf.tile(x, [2, 1, 3]), [tf.tensor(T3)]);
  });

  it("gather, unsortedSegmentSum, oneHot", () => {
    const idx = tf.tensor([2, 0, 2], undefined, "int32");
    expectValues(tf.gather(tf.tensor([10, 20, 30]), idx), [30, 10, 30]);
    expectValues(tf.gather(tf.tensor(M), tf.tensor([1, 0], undefined, "int32"), 1), [
      [5, 1],
      [2, 4],
    ]);
    expectValues(
      tf.unsortedSegmentSum(tf.tensor([1, 2, 3, 4]), tf.tensor([0, 1, 0, 1], undefined, "int32"), 2),
      [4, 6],
    );
    const g = tf.grad((x) => tf.gather(x, idx))(tf.tensor([10, 20, 30]));
    expectValues(g, [1, 0, 2]);
    expectGradOk(
      (x) =>
        tf.gather(
          x,
          tf.tensor(
            [
              [1, 0],
              [1, 1],
            ],
            undefined,
            "int32",
          ),
          1,
        ),
      [tf.tensor(T3)],
    );
    const oh = tf.oneHot(tf.tensor([0, 2], undefined, "int32"), 3);
    expect(oh.dtype).toBe("int32");
    expectValues(oh, [
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(() => tf.gather(tf.tensor([1, 2]), tf.tensor([0.5]))).toThrow(/gather: indices must be int32/);
  });

  it("cast", () => {
    const c = tf.cast(tf.tensor([1.7, -1.7, 0]), "int32");
    expect(c.dtype).toBe("int32");
    expectValues(c, [1, -1, 0]);
    expectValues(tf.cast(tf.tensor([2, 0]), "bool"), [true, false]);
    expect(() => tf.cast(tf.tensor([1]), "float64" as never)).toThrow(/cast: unknown dtype 'float64'/);
  });
});
