import { expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { expectGradOk, expectValues, forEachBackend } from "./backends.js";

const xs = [-2.5, -0.7, 0.3, 1.2, 3.1];
const pos = [0.2, 0.9, 1.7, 3.3];

function erfRef(x: number): number {
  // Abramowitz–Stegun 7.1.26 is too coarse for 1e-6; integrate the series instead.
  let sum = 0;
  let term = x;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** [op, input values, reference per element, differentiable at these inputs] */
const unary: [string, (x: tf.Tensor) => tf.Tensor, number[], (v: number) => number, boolean][] = [
  ["neg", (x) => tf.neg(x), xs, (v) => -v, true],
  ["abs", (x) => tf.abs(x), xs, Math.abs, true],
  ["exp", (x) => tf.exp(x), xs, Math.exp, true],
  ["expm1", (x) => x.expm1(), xs, Math.expm1, true],
  ["log", (x) => tf.log(x), pos, Math.log, true],
  ["log1p", (x) => x.log1p(), pos, Math.log1p, true],
  ["sqrt", (x) => tf.sqrt(x), pos, Math.sqrt, true],
  ["rsqrt", (x) => tf.rsqrt(x), pos, (v) => 1 / Math.sqrt(v), true],
  ["square", (x) => x.square(), xs, (v) => v * v, true],
  ["reciprocal", (x) => tf.reciprocal(x), pos, (v) => 1 / v, true],
  ["sign", (x) => tf.sign(x), [-2, 0, 3], Math.sign, false],
  ["floor", (x) => tf.floor(x), xs, Math.floor, false],
  ["ceil", (x) => tf.ceil(x), xs, Math.ceil, false],
  ["sin", (x) => tf.sin(x), xs, Math.sin, true],
  ["cos", (x) => tf.cos(x), xs, Math.cos, true],
  ["erf", (x) => tf.erf(x), xs, erfRef, true],
  ["sigmoid", (x) => x.sigmoid(), xs, (v) => 1 / (1 + Math.exp(-v)), true],
  ["tanh", (x) => tf.tanh(x), xs, Math.tanh, true],
  ["relu", (x) => x.relu(), xs, (v) => Math.max(v, 0), true],
  ["relu6", (x) => tf.relu6(x), [-1, 2, 5.5, 7], (v) => Math.min(Math.max(v, 0), 6), true],
  ["leakyRelu", (x) => tf.leakyRelu(x, 0.1), xs, (v) => (v > 0 ? v : 0.1 * v), true],
  ["elu", (x) => tf.elu(x), xs, (v) => (v > 0 ? v : Math.expm1(v)), true],
  ["selu", (x) => tf.selu(x), xs, (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * Math.expm1(v)), true],
  ["softplus", (x) => tf.softplus(x), xs, (v) => Math.log1p(Math.exp(v)), true],
  ["clipByValue", (x) => tf.clipByValue(x, -1, 2), xs, (v) => Math.min(Math.max(v, -1), 2), true],
  ["tan", (x) => tf.tan(x), [-1.2, -0.3, 0.4, 1.1], Math.tan, true],
  ["sinh", (x) => tf.sinh(x), xs, Math.sinh, true],
  ["cosh", (x) => tf.cosh(x), xs, Math.cosh, true],
  ["logSigmoid", (x) => tf.logSigmoid(x), xs, (v) => -Math.log1p(Math.exp(-v)), true],
];

/** [op, a, b, reference] — b broadcasts as a row against a [2, 3] matrix a. */
const binary: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, (a: number, b: number) => number][] = [
  ["add", (a, b) => tf.add(a, b), (a, b) => a + b],
  ["sub", (a, b) => a.sub(b), (a, b) => a - b],
  ["mul", (a, b) => tf.mul(a, b), (a, b) => a * b],
  ["div", (a, b) => a.div(b), (a, b) => a / b],
  ["pow", (a, b) => tf.pow(a, b), (a, b) => Math.pow(a, b)],
  ["maximum", (a, b) => tf.maximum(a, b), Math.max],
  ["minimum", (a, b) => a.minimum(b), Math.min],
  ["squaredDifference", (a, b) => tf.squaredDifference(a, b), (a, b) => (a - b) ** 2],
  ["atan2", (a, b) => a.atan2(b), Math.atan2],
];
const A = [
  [0.5, 1.5, 2.5],
  [3.2, 0.7, 1.1],
];
const B = [1.3, 0.4, 2.0];

forEachBackend(({ tol }) => {
  for (const [name, f, input, ref, differentiable] of unary) {
    it(`${name}: values`, () => {
      expectValues(f(tf.tensor(input)), input.map(ref), tol() * 10);
    });
    if (differentiable) {
      it(`${name}: gradient matches finite differences`, () => {
        expectGradOk(f, [tf.tensor(input)]);
      });
    }
  }

  it("round rounds half to even", () => {
    expectValues(tf.round(tf.tensor([0.5, 1.5, 2.5, -0.5, 1.2])), [0, 2, 2, -0, 1]);
  });

  it("step, isInf, isFinite", () => {
    expectValues(tf.step(tf.tensor([-1, 0, 2]), 0.5), [0.5, 0.5, 1]);
    expectValues(tf.isInf(tf.tensor([1, Infinity, -Infinity, NaN])), [false, true, true, false]);
    expectValues(tf.isFinite(tf.tensor([1, Infinity, -Infinity, NaN])), [true, false, false, false]);
  });

  it("isNaN", () => {
    const r = tf.isNaN(tf.tensor([1, NaN, Infinity]));
    expect(r.dtype).toBe("bool");
    expectValues(r, [false, true, false]);
  });

  for (const [name, f, ref] of binary) {
    it(`${name}: broadcasting values`, () => {
      expectValues(
        f(tf.tensor(A), tf.tensor(B)),
        A.map((row) => row.map((a, j) => ref(a, B[j]))),
        tol() * 10,
      );
    });
    it(`${name}: gradients reduce to both input shapes`, () => {
      const g = tf.grads(f)([tf.tensor(A), tf.tensor(B)]);
      expect(g[0].shape).toEqual([2, 3]);
      expect(g[1].shape).toEqual([3]);
      expectGradOk(f, [tf.tensor(A), tf.tensor(B)]);
    });
  }

  it("mod and floorDiv follow the divisor's sign", () => {
    expectValues(tf.mod(tf.tensor([7, -7, 7, -7]), tf.tensor([3, 3, -3, -3])), [1, 2, -2, -1]);
    expectValues(tf.floorDiv(tf.tensor([7, -7]), 2), [3, -4]);
  });

  it("atan2 covers the four quadrants; int32 inputs give float32", () => {
    const y = tf.atan2(tf.tensor([1, 1, -1, 0], undefined, "int32"), tf.tensor([1, -1, 0, -2], undefined, "int32"));
    expect(y.dtype).toBe("float32");
    expectValues(y, [Math.PI / 4, (3 * Math.PI) / 4, -Math.PI / 2, Math.PI], tol() * 10);
  });

  it("int32 arithmetic stays int32; int32 division floors", () => {
    const a = tf.tensor([7, -7], undefined, "int32");
    expect(a.add(1).dtype).toBe("int32");
    const d = a.div(tf.tensor([2, 2], undefined, "int32"));
    expect(d.dtype).toBe("int32");
    expectValues(d, [3, -4]);
    expect(a.add(0.5).dtype).toBe("float32");
  });

  it("addN, divNoNan", () => {
    expectValues(tf.addN([tf.tensor([1, 2]), tf.tensor([3, 4]), tf.tensor([5, 6])]), [9, 12]);
    expectValues(tf.divNoNan(tf.tensor([1, 2, 3]), tf.tensor([2, 0, 3])), [0.5, 0, 1]);
    expectGradOk((a, b) => tf.divNoNan(a, b), [tf.tensor([1, 2, 3]), tf.tensor([2, 0.5, 3])]);
  });

  it("scalar-with-matrix broadcasting gradient sums everything", () => {
    const g = tf.grads((a, s) => a.mul(s))([tf.tensor(A), tf.scalar(2)]);
    expect(g[1].shape).toEqual([]);
    expectValues(
      g[1],
      A.flat().reduce((x, y) => x + y, 0),
      1e-5,
    );
  });

  it("column broadcasting [2,1] against [1,3]", () => {
    const y = tf.add(tf.tensor([[1], [2]]), tf.tensor([[10, 20, 30]]));
    expectValues(y, [
      [11, 21, 31],
      [12, 22, 32],
    ]);
    expectGradOk((a, b) => a.mul(b), [tf.tensor([[1], [2]]), tf.tensor([[0.5, 1.5, 2.5]])]);
  });

  it("comparisons and logic", () => {
    const a = tf.tensor([1, 2, 3]);
    const b = tf.tensor([3, 2, 1]);
    expectValues(tf.equal(a, b), [false, true, false]);
    expectValues(a.notEqual(b), [true, false, true]);
    expectValues(tf.greater(a, b), [false, false, true]);
    expectValues(a.greaterEqual(b), [false, true, true]);
    expectValues(tf.less(a, 2), [true, false, false]);
    expectValues(a.lessEqual(2), [true, true, false]);
    const p = tf.tensor([true, true, false, false]);
    const q = tf.tensor([true, false, true, false]);
    expectValues(tf.logicalAnd(p, q), [true, false, false, false]);
    expectValues(p.logicalOr(q), [true, true, true, false]);
    expectValues(tf.logicalXor(p, q), [false, true, true, false]);
    expectValues(tf.logicalNot(p), [false, false, true, true]);
    expect(tf.equal(a, b).dtype).toBe("bool");
  });

  it("where broadcasts and routes gradients", () => {
    const c = tf.tensor([[true, false, true]]);
    const y = tf.where(
      c,
      tf.tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      tf.scalar(0),
    );
    expectValues(y, [
      [1, 0, 3],
      [4, 0, 6],
    ]);
    const [ga, gb] = tf.grads((a, b) => tf.where(c, a, b))([
      tf.tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      tf.scalar(0),
    ]);
    expectValues(ga, [
      [1, 0, 1],
      [1, 0, 1],
    ]);
    expectValues(gb, 2);
  });

  it("softmax and logSoftmax", () => {
    const x = [
      [1, 2, 3],
      [-1, 0, 5],
    ];
    const soft = x.map((r) => {
      const m = Math.max(...r);
      const e = r.map((v) => Math.exp(v - m));
      const s = e.reduce((p, q) => p + q, 0);
      return e.map((v) => v / s);
    });
    expectValues(tf.softmax(tf.tensor(x)), soft, tol() * 10);
    expectValues(
      tf.tensor(x).logSoftmax(),
      soft.map((r) => r.map(Math.log)),
      tol() * 10,
    );
    expectValues(tf.softmax(tf.tensor([1000, 1001])), [1 / (1 + Math.E), Math.E / (1 + Math.E)], 1e-5);
    expectGradOk((t) => tf.softmax(t), [tf.tensor(x)]);
    expectGradOk((t) => tf.logSoftmax(t, 0), [tf.tensor(x)]);
  });

  it("elu has finite gradients for large inputs", () => {
    const g = tf.grad((x) => tf.elu(x).sum())(tf.tensor([100, -100, 1]));
    expectValues(g, [1, Math.exp(-100), 1]);
  });

  it("bad shapes and dtypes give clear errors", () => {
    expect(() => tf.add(tf.ones([2, 3]), tf.ones([4]))).toThrow(
      "add: shapes [2,3] and [4] cannot be broadcast together",
    );
    expect(() => tf.logicalAnd(tf.ones([2]), tf.ones([2]))).toThrow(/logicalAnd: inputs must be bool/);
    expect(() => tf.where(tf.ones([2]), 1, 2)).toThrow(/where: condition must be a bool tensor/);
    expect(() => tf.add(tf.ones([2]), "x" as never)).toThrow(/add: argument 'b'/);
  });
});
