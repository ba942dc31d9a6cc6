/**
 * The non-op names the census added to `tf`: the async ops, random samplers, tf.env/debug mode,
 * tf.profile, versions, disposeVariables, Tensor#strides/bytes/variable, TensorBuffer#rank/indexToLoc,
 * each against TF.js where TF.js gives a value to compare.
 */
import * as tfjs from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as tf from "../../src/tf.js";

beforeAll(async () => {
  await tfjs.setBackend("cpu");
});

const theirs = (t: { dataSync(): ArrayLike<number> }) => Array.from(t.dataSync());
const ours = (t: tf.Tensor) => Array.from(t.dataSync());

describe("async ops match TF.js", () => {
  it("setdiff1dAsync, whereAsync, booleanMaskAsync, inTopKAsync, nonMaxSuppression*Async", async () => {
    const [o1, i1] = await tf.setdiff1dAsync(tf.tensor([1, 2, 3, 4, 5, 2]), tf.tensor([2, 5]));
    const [o2, i2] = await tfjs.setdiff1dAsync(tfjs.tensor([1, 2, 3, 4, 5, 2]), tfjs.tensor([2, 5]));
    expect(ours(o1)).toEqual(theirs(o2));
    expect(ours(i1)).toEqual(theirs(i2));
    const cond = [
      [1, 0, 1],
      [0, 1, 1],
    ];
    const w1 = await tf.whereAsync(tf.tensor(cond, undefined, "bool"));
    const w2 = await tfjs.whereAsync(tfjs.tensor(cond, undefined, "bool"));
    expect(w1.shape).toEqual(w2.shape);
    expect(ours(w1)).toEqual(theirs(w2));
    const values = Array.from({ length: 12 }, (_, i) => i * 0.5 - 2);
    const m1 = await tf.booleanMaskAsync(tf.tensor(values, [2, 3, 2]), tf.tensor([1, 0, 1], [3], "bool"), 1);
    const m2 = await tfjs.booleanMaskAsync(tfjs.tensor(values, [2, 3, 2]), tfjs.tensor([1, 0, 1], [3], "bool"), 1);
    expect(m1.shape).toEqual(m2.shape);
    expect(ours(m1)).toEqual(theirs(m2));
    const preds = [0.1, 0.8, 0.3, 0.2, 0.5, 0.4, 0.05, 0.6, 0.9, 0.7, 0.2, 0.1];
    const k1 = await tf.inTopKAsync(tf.tensor(preds, [3, 4]), tf.tensor([0, 1, 3], [3], "int32"), 2);
    const k2 = await tfjs.inTopKAsync(tfjs.tensor(preds, [3, 4]), tfjs.tensor([0, 1, 3], [3], "int32"), 2);
    expect(ours(k1)).toEqual(theirs(k2));
    const boxes = [0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, 10, 1, 11];
    const scores = [0.9, 0.8, 0.7];
    const n1 = await tf.image.nonMaxSuppressionAsync(tf.tensor(boxes, [3, 4]), tf.tensor(scores), 3, 0.5);
    const n2 = await tfjs.image.nonMaxSuppressionAsync(tfjs.tensor(boxes, [3, 4]), tfjs.tensor(scores), 3, 0.5);
    expect(ours(n1)).toEqual(theirs(n2));
    const s1 = await tf.image.nonMaxSuppressionWithScoreAsync(
      tf.tensor(boxes, [3, 4]),
      tf.tensor(scores),
      3,
      0.9,
      0,
      0.3,
    );
    const s2 = await tfjs.image.nonMaxSuppressionWithScoreAsync(
      tfjs.tensor(boxes, [3, 4]),
      tfjs.tensor(scores),
      3,
      0.9,
      0,
      0.3,
    );
    expect(ours(s1.selectedIndices)).toEqual(theirs(s2.selectedIndices));
    ours(s1.selectedScores).forEach((v, i) => expect(v).toBeCloseTo(theirs(s2.selectedScores)[i], 6));
    expect(ours(s1.selectedIndices)).toEqual([0, 2, 1]);
    const p1 = await tf.image.nonMaxSuppressionPaddedAsync(
      tf.tensor(boxes, [3, 4]),
      tf.tensor(scores),
      3,
      0.5,
      0,
      true,
    );
    expect(ours(p1.selectedIndices)).toEqual([0, 2, 0]);
    expect(ours(p1.validOutputs)).toEqual([2]);
  });

  it("raggedTensorToTensor broadcasts a vector default over inner axes (TF.js fills zeros there)", () => {
    const dense = tf.raggedTensorToTensor(
      [-1, -1, 2],
      tf.tensor([1, 2, 3, 4, 5, 6], [3, 2]),
      tf.tensor([7, 8]),
      [tf.tensor([0, 1, 1, 3], [4], "int32")],
      ["ROW_SPLITS"],
    );
    expect(dense.shape).toEqual([3, 2, 2]);
    expect(ours(dense)).toEqual([1, 2, 7, 8, 7, 8, 7, 8, 3, 4, 5, 6]);
    expect(() => tf.raggedRange([0], [3], [0])).toThrow(/deltas must not be 0/);
    expect(() =>
      tf.raggedGather([tf.tensor([0, 1], [2], "int32")], tf.ones([1]), tf.tensor([3], [1], "int32"), 1),
    ).toThrow(/out of range for 1 rows/);
  });

  it("bad arguments get clear errors", async () => {
    await expect(tf.setdiff1dAsync(tf.ones([2, 2]), tf.ones([2]))).rejects.toThrow(/must be 1-D/);
    await expect(tf.booleanMaskAsync(tf.ones([2, 3]), tf.ones([3], "bool"))).rejects.toThrow(/mask shape \[3\]/);
    expect(() => tf.stridedSlice(tf.ones([2]), [0, 0, 0], [1, 1, 1])).toThrow(/indexes more axes/);
    expect(() => tf.gatherND(tf.ones([2, 2]), tf.tensor([[2, 0]], [1, 2], "int32"))).toThrow(/out of range for axis 0/);
    expect(() => tf.mirrorPad(tf.ones([2]), [[2, 0]], "reflect")).toThrow(/within \[0, 1\]/);
    expect(() => tf.einsum("ii->i", tf.ones([2, 2]))).toThrow(/diagonal/);
    expect(() => tf.einsum("ij,jk->ik", tf.ones([2, 3]), tf.ones([2, 3]))).toThrow(/subscript 'j' has length 3/);
    expect(() => tf.depthToSpace(tf.ones([1, 2, 2, 3]), 2)).toThrow(/not divisible/);
    expect(() => tf.ensureShape(tf.ones([2, 3]), [null, 4])).toThrow(/does not match the expected shape/);
    expect(tf.ensureShape(tf.ones([2, 3]), [null, 3]).shape).toEqual([2, 3]);
  });
});

describe("random samplers", () => {
  it("randomGamma has mean alpha / beta and variance alpha / beta², seeded", () => {
    const alpha = 2.5;
    const beta = 2;
    const v = ours(tf.randomGamma([20000], alpha, beta, "float32", 7));
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
    expect(mean).toBeCloseTo(alpha / beta, 1);
    expect(variance).toBeCloseTo(alpha / (beta * beta), 1);
    expect(Math.min(...v)).toBeGreaterThan(0);
    expect(ours(tf.randomGamma([5], 0.5, 1, "float32", 3))).toEqual(ours(tf.randomGamma([5], 0.5, 1, "float32", 3)));
    expect(tf.randomGamma([3], 3, 1, "int32", 1).dtype).toBe("int32");
    expect(() => tf.randomGamma([2], 0)).toThrow(/alpha and beta must be positive/);
  });

  it("randomUniformInt and rand", () => {
    const v = ours(tf.randomUniformInt([1000], -3, 4, 5));
    expect(v.every((x) => Number.isInteger(x) && x >= -3 && x < 4)).toBe(true);
    expect(new Set(v).size).toBe(7);
    let i = 0;
    const r = tf.rand([2, 2], () => i++);
    expect(ours(r)).toEqual([0, 1, 2, 3]);
    expect(tf.rand([2], () => 1.7, "int32").dtype).toBe("int32");
  });
});

describe("tf.env, debug mode and tf.profile", () => {
  afterEach(() => tf.env().reset());

  it("flags read and set like TF.js; unknown flags a program sets are kept", () => {
    expect(tf.env().getBool("IS_NODE")).toBe(true);
    expect(tf.env().getBool("IS_BROWSER")).toBe(false);
    expect(tf.env().get("DEBUG")).toBe(false);
    tf.env().set("WEBGL_PACK", false);
    expect(tf.env().get("WEBGL_PACK")).toBe(false);
    expect(tf.ENV).toBe(tf.env());
    expect(tf.env()).toBeInstanceOf(tf.Environment);
    expect(() => tf.env().get("NO_SUCH_FLAG")).toThrow(/no flag named 'NO_SUCH_FLAG'/);
    tf.enableProdMode();
    expect(tf.env().getBool("PROD")).toBe(true);
  });

  it("debug mode names the kernel that first produced a NaN", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      tf.enableDebugMode();
      tf.log(tf.tensor([1, -1]));
      expect(warn.mock.calls.some((c) => /found NaN in the result of 'Log'/.test(String(c[0])))).toBe(true);
      warn.mockClear();
      tf.enableProdMode();
      tf.log(tf.tensor([-1]));
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it("deprecation warnings can be silenced", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      tf.deprecationWarn("old thing");
      expect(String(warn.mock.calls[0][0])).toMatch(/old thing/);
      tf.disableDeprecationWarnings();
      warn.mockClear();
      tf.deprecationWarn("old thing");
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it("tf.profile reports new tensors, bytes, the peak and each kernel", async () => {
    const a = tf.ones([8, 8]);
    const info = await tf.profile(() => tf.tidy(() => tf.relu(tf.matMul(a, a)).sum()));
    expect(info.newTensors).toBe(1);
    expect(info.newBytes).toBe(4);
    expect(info.kernelNames).toEqual(expect.arrayContaining(["BatchMatMul", "Relu", "Sum"]));
    const mm = info.kernels.find((k) => k.name === "BatchMatMul")!;
    expect(mm.outputShapes).toEqual([[8, 8]]);
    expect(mm.bytesAdded).toBe(256);
    expect(info.peakBytes).toBeGreaterThanOrEqual(256 + 256);
    expect(ours(info.result as tf.Tensor)).toEqual([512]);
    const theirInfo = await tfjs.profile(() =>
      tfjs.tidy(() => tfjs.sum(tfjs.relu(tfjs.matMul(tfjs.ones([8, 8]), tfjs.ones([8, 8]))))),
    );
    expect(info.newTensors).toBe(theirInfo.newTensors);
    expect(info.newBytes).toBe(theirInfo.newBytes);
  });

  it("tf.time reports kernelMs and wallMs as numbers, as TF.js's cpu backend does", async () => {
    const a = tf.ones([64, 64]);
    const info = await tf.time(() => tf.matMul(a, a));
    const theirInfo = await tfjs.time(() => tfjs.matMul(tfjs.ones([64, 64]), tfjs.ones([64, 64])));
    expect(Object.keys(info).sort()).toEqual(Object.keys(theirInfo).sort());
    for (const key of ["kernelMs", "wallMs"] as const) {
      expect(typeof info[key]).toBe(typeof theirInfo[key]);
      expect(info[key]).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("small members TF.js programs use", () => {
  it("versions, disposeVariables", () => {
    expect(tf.version_core).toBe(tfjs.version_core);
    expect(tf.version["tfjs-core"]).toBe("4.22.0");
    expect(tf.version_layers).toBe("4.22.0");
    const v = tf.variable(tf.ones([2]), true, "disposable-variable");
    tf.disposeVariables();
    expect(v.isDisposed).toBe(true);
    expect(tf.engine().registeredVariables.size).toBe(0);
  });

  it("Tensor#strides, bytes(), variable(), TensorBuffer#rank/indexToLoc match TF.js", async () => {
    const x = tf.tensor([1.5, -2, 3, 4, 5, 6], [1, 2, 3]);
    const y = tfjs.tensor([1.5, -2, 3, 4, 5, 6], [1, 2, 3]);
    expect(x.strides).toEqual(y.strides);
    expect(tf.scalar(1).strides).toEqual(tfjs.scalar(1).strides);
    expect(Array.from(await x.bytes())).toEqual(Array.from((await y.bytes()) as Uint8Array));
    const v = tf.tensor([1, 2]).variable(false, "from-tensor");
    expect(v).toBeInstanceOf(tf.Variable);
    expect(v.trainable).toBe(false);
    expect(ours(v)).toEqual([1, 2]);
    v.dispose();
    const b = tf.buffer([2, 3, 4]);
    const tb = tfjs.buffer([2, 3, 4]);
    expect(b.rank).toBe(tb.rank);
    for (const i of [0, 5, 13, 23]) expect(b.indexToLoc(i)).toEqual(tb.indexToLoc(i));
    expect(b.locToIndex(b.indexToLoc(17))).toBe(17);
  });

  it("dtype helpers and enclosingPowerOfTwo", () => {
    expect(tf.upcastType("int32", "float32")).toBe(tfjs.upcastType("int32", "float32"));
    expect(tf.upcastType("bool", "int32")).toBe(tfjs.upcastType("bool", "int32"));
    expect(tf.sumOutType("bool")).toBe(tfjs.sumOutType("bool"));
    expect(tf.sumOutType("float32")).toBe(tfjs.sumOutType("float32"));
    for (const n of [1, 5, 8, 9, 1000]) expect(tf.enclosingPowerOfTwo(n)).toBe(tfjs.enclosingPowerOfTwo(n));
  });
});
