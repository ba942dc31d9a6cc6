import { expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { expectValues, forEachBackend } from "./backends.js";

forEachBackend(({ tol }) => {
  it("tensor infers shape and dtype; accessors", async () => {
    const t = tf.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe("float32");
    expect(t.size).toBe(6);
    expect(t.rank).toBe(2);
    expect(typeof t.id).toBe("number");
    expect(t.dataSync()).toBeInstanceOf(Float32Array);
    expect(Array.from(await t.data())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.arraySync()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(await t.array()).toEqual(t.arraySync());
    expect(tf.tensor([true, false]).dtype).toBe("bool");
    expect(tf.tensor(new Int32Array([1, 2])).dtype).toBe("int32");
    expect(tf.tensor([1, 2, 3, 4], [2, 2], "int32").arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(tf.scalar(3).arraySync()).toBe(3);
  });

  it("typed and flat arrays: copied once, converted to the dtype, shape checked", () => {
    const src = new Float32Array([1.5, -2.7, 0, 3]);
    const t = tf.tensor(src, [2, 2]);
    expect(t.dtype).toBe("float32");
    expect(t.arraySync()).toEqual([
      [1.5, Math.fround(-2.7)],
      [0, 3],
    ]);
    src[0] = 99;
    expect(t.dataSync()[0]).toBe(1.5);
    expect(Array.from(tf.tensor(src, [4], "int32").dataSync())).toEqual([99, -2, 0, 3]);
    expect(Array.from(tf.tensor(src, [4], "bool").dataSync())).toEqual([1, 1, 0, 1]);
    expect(Array.from(tf.tensor(new Int32Array([7, -1]), [2], "float32").dataSync())).toEqual([7, -1]);
    expect(Array.from(tf.tensor(new Float64Array([0.25, 4]), [2]).dataSync())).toEqual([0.25, 4]);
    expect(tf.tensor(new Uint8Array([0, 1])).dtype).toBe("bool");
    expect(Array.from(tf.tensor([1, true, 0], [3], "int32").dataSync())).toEqual([1, 1, 0]);
    expect(() => tf.tensor(new Float32Array(6), [4, 2])).toThrow(/shape \[4,2\] has 8 elements but 6 values/);
    expect(() => tf.tensor([1, 2, 3], [2, 2])).toThrow(/shape \[2,2\] has 4 elements but 3 values/);
    expect(() => tf.tensor([1, "a", 3] as unknown as number[])).toThrow(/expected numbers or booleans, got string/);
    expect(() => tf.tensor([[1, 2], [3]])).toThrow(/ragged/);
    expect(tf.tensor([new Float32Array([1, 2]), new Float32Array([3, 4])]).arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it("data read from a tensor is a copy", () => {
    const t = tf.tensor([1, 2]);
    t.dataSync()[0] = 99;
    expect(t.dataSync()[0]).toBe(1);
  });

  it("ranked constructors check ranks", () => {
    expect(tf.tensor1d([1, 2]).shape).toEqual([2]);
    expect(tf.tensor2d([1, 2, 3, 4], [2, 2]).shape).toEqual([2, 2]);
    expect(tf.tensor3d([[[1]]]).shape).toEqual([1, 1, 1]);
    expect(tf.tensor4d([1, 2], [1, 1, 1, 2]).shape).toEqual([1, 1, 1, 2]);
    expect(() => tf.tensor2d([1, 2])).toThrow("tensor2d: expected rank 2 values, got shape [2]");
    expect(() => tf.tensor([[1, 2], [3]])).toThrow(/ragged nested array/);
    expect(() => tf.tensor([1, 2, 3], [2, 2])).toThrow("tensor: shape [2,2] has 4 elements but 3 values were given");
    expect(() => tf.tensor([1], undefined, "complex64" as never)).toThrow(/unknown dtype 'complex64'/);
  });

  it("constants, ranges, eye, linspace", () => {
    expectValues(tf.zeros([2, 2]), [
      [0, 0],
      [0, 0],
    ]);
    expectValues(tf.ones([3], "int32"), [1, 1, 1]);
    expectValues(tf.fill([2], 7), [7, 7]);
    expectValues(tf.zerosLike(tf.ones([1, 2])), [[0, 0]]);
    expectValues(tf.onesLike(tf.zeros([2])), [1, 1]);
    expectValues(tf.range(4), [0, 1, 2, 3]);
    expectValues(tf.range(1, 2, 0.25), [1, 1.25, 1.5, 1.75]);
    expectValues(tf.range(5, 0, -2), [5, 3, 1]);
    expectValues(tf.linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1], tol());
    expectValues(tf.eye(2, 3), [
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });

  it("seeded random ops are reproducible; setSeed makes unseeded ones reproducible", () => {
    const a = tf.randomNormal([50], 0, 1, "float32", 42).dataSync();
    const b = tf.randomNormal([50], 0, 1, "float32", 42).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(tf.randomNormal([50], 0, 1, "float32", 43).dataSync())).not.toEqual(Array.from(a));
    tf.setSeed(7);
    const u1 = Array.from(tf.randomUniform([20]).dataSync());
    const n1 = Array.from(tf.truncatedNormal([20]).dataSync());
    tf.setSeed(7);
    expect(Array.from(tf.randomUniform([20]).dataSync())).toEqual(u1);
    expect(Array.from(tf.truncatedNormal([20]).dataSync())).toEqual(n1);
    expect(tf.getSeed()).toBe(7);
  });

  it("random distributions have the right range and moments", () => {
    const u = Array.from(tf.randomUniform([4000], 2, 5, "float32", 1).dataSync());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...u)).toBeLessThan(5);
    const n = Array.from(tf.randomNormal([4000], 3, 2, "float32", 2).dataSync());
    const mean = n.reduce((a, b) => a + b, 0) / n.length;
    const sd = Math.sqrt(n.reduce((a, b) => a + (b - mean) ** 2, 0) / n.length);
    expect(Math.abs(mean - 3)).toBeLessThan(0.15);
    expect(Math.abs(sd - 2)).toBeLessThan(0.15);
    const t = Array.from(tf.truncatedNormal([4000], 0, 1, "float32", 3).dataSync());
    expect(Math.max(...t.map(Math.abs))).toBeLessThanOrEqual(2);
    const ints = Array.from(tf.randomUniform([100], 0, 3, "int32", 4).dataSync());
    expect(new Set(ints)).toEqual(new Set([0, 1, 2]));
  });

  it("variables: assign, trainable, name", () => {
    const v = tf.variable(tf.tensor([1, 2]), true, "tensor-test-v");
    expect(v.name).toBe("tensor-test-v");
    expect(v.trainable).toBe(true);
    const id = v.id;
    v.assign(tf.tensor([5, 6]));
    expect(v.id).toBe(id);
    expectValues(v, [5, 6]);
    expectValues(v.add(1), [6, 7]);
    expect(() => v.assign(tf.tensor([1, 2, 3]))).toThrow(
      "Variable.assign: shape [3] differs from the variable's [2] (tensor-test-v)",
    );
    expect(() => v.assign(tf.tensor([1, 2], undefined, "int32"))).toThrow(/dtype int32 differs/);
    const frozen = tf.variable(tf.zeros([1]), false);
    expect(frozen.trainable).toBe(false);
    expect(frozen).toBeInstanceOf(tf.Variable);
    expect(frozen).toBeInstanceOf(tf.Tensor);
  });

  it("toString: NumPy-like, aligned, elided, verbose", () => {
    expect(
      tf
        .tensor([
          [1, 2],
          [3, 4],
        ])
        .toString(),
    ).toBe("Tensor\n    [[1, 2],\n     [3, 4]]");
    expect(
      tf
        .tensor([
          [1, -20],
          [300, 4],
        ])
        .toString(),
    ).toBe("Tensor\n    [[  1, -20],\n     [300,   4]]");
    expect(tf.scalar(2.5).toString()).toBe("Tensor\n    2.5");
    expect(tf.tensor([true, false]).toString()).toBe("Tensor\n    [ true, false]");
    expect(tf.range(100).toString()).toBe("Tensor\n    [ 0,  1,  2, ..., 97, 98, 99]");
    const big = tf
      .range(0, 25 * 25)
      .reshape([25, 25])
      .toString()
      .split("\n");
    expect(big.length).toBe(1 + 7);
    expect(big[4]).toBe("     ...,");
    expect(tf.tensor([1, 2], undefined, "int32").toString(true)).toBe(
      "Tensor\n  dtype: int32\n  rank: 1\n  shape: [2]\n  values:\n    [1, 2]",
    );
    expect(tf.tensor([[[1, 2]], [[3, 4]]]).toString()).toBe("Tensor\n    [[[1, 2]],\n\n     [[3, 4]]]");
  });

  it("buffer builds tensors element by element", () => {
    const b = tf.buffer([2, 3], "int32");
    b.set(5, 0, 1);
    b.set(7, 1, 2);
    expect(b.get(1, 2)).toBe(7);
    expectValues(b.toTensor(), [
      [0, 5, 0],
      [0, 0, 7],
    ]);
    expect(b.toTensor().dtype).toBe("int32");
    expect(() => b.set(1, 2, 0)).toThrow("buffer: index [2,0] is out of bounds for shape [2,3]");
    const fromTensor = tf.tensor([1, 2]).bufferSync();
    fromTensor.set(9, 0);
    expectValues(fromTensor.toTensor(), [9, 2]);
  });

  it("multinomial samples follow the probabilities and are seeded", () => {
    const logits = tf.log(tf.tensor([[0.1, 0.6, 0.3]]));
    const s = tf.multinomial(logits, 3000, 11);
    expect(s.shape).toEqual([1, 3000]);
    expect(s.dtype).toBe("int32");
    const counts = [0, 0, 0];
    for (const v of s.dataSync()) counts[v]++;
    expect(Math.abs(counts[0] / 3000 - 0.1)).toBeLessThan(0.03);
    expect(Math.abs(counts[1] / 3000 - 0.6)).toBeLessThan(0.03);
    expect(Array.from(tf.multinomial(logits, 3000, 11).dataSync())).toEqual(Array.from(s.dataSync()));
    expect(Array.from(tf.multinomial(tf.tensor([0, 1, 0]), 5, 1, true).dataSync())).toEqual([1, 1, 1, 1, 1]);
  });

  it("topk along the last axis", () => {
    const { values, indices } = tf.topk(
      tf.tensor([
        [1, 9, 3, 9],
        [4, 0, 8, 2],
      ]),
      2,
    );
    expectValues(values, [
      [9, 9],
      [8, 4],
    ]);
    expect(indices.dtype).toBe("int32");
    expectValues(indices, [
      [1, 3],
      [2, 0],
    ]);
  });

  it("chained forms exist for the ops", () => {
    const x = tf.tensor([
      [1, -2],
      [3, -4],
    ]);
    expectValues(x.abs().sum(1).sqrt().square(), [3, 7], tol() * 10);
    expectValues(x.reshape([4]).slice([1], [2]).neg(), [2, -3]);
    expectValues(x.where(x.greater(0), 0), [
      [1, 0],
      [3, 0],
    ]);
    expectValues(x.concat([x], 0).mean(0), [2, -3]);
    expectValues(x.relu().matMul(x).argMax(1), [0, 0]);
  });
});
