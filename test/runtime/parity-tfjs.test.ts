/**
 * Parity with TensorFlow.js: each case runs the same code through deepts, on every backend, and
 * through @tensorflow/tfjs-core on its cpu backend (the API names and signatures are the same), and
 * compares values — and, for differentiable cases, gradients — to 1e-5 relative on deepts's cpu
 * backend, the backend's own tolerance elsewhere.
 */
import * as tfjs from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops";
import { beforeAll, expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { forEachBackend } from "./backends.js";

// Both libraries are driven through the same names, so cases see them as one loose type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Lib = any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type T = any;

type Kind = "any" | "pos" | "distinct" | "int" | "bool" | "index3";
interface Input {
  shape: number[];
  kind?: Kind;
}
interface Case {
  name: string;
  inputs: Input[];
  f: (lib: Lib, ...xs: T[]) => T;
  /** Also compare gradients with respect to the float inputs. */
  grad?: boolean;
}

const REL = 1e-5;
let rel = REL;

function values(input: Input, seed: number): number[] {
  const n = input.shape.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  let s = seed * 7919 + 17;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  for (let i = 0; i < n; i++) {
    switch (input.kind ?? "any") {
      case "pos":
        out.push(0.2 + 2 * rnd());
        break;
      case "distinct":
        out.push(((i * 7) % n) / n - 0.5 + 0.01 * rnd());
        break;
      case "int":
        out.push(Math.floor(rnd() * 10) - 5);
        break;
      case "bool":
        out.push(rnd() < 0.5 ? 1 : 0);
        break;
      case "index3":
        out.push(Math.floor(rnd() * 3));
        break;
      default:
        out.push(2 * rnd() - 1);
    }
  }
  return out;
}

function make(lib: Lib, input: Input, seed: number): T {
  const v = values(input, seed);
  const dtype = input.kind === "int" || input.kind === "index3" ? "int32" : input.kind === "bool" ? "bool" : "float32";
  return lib.tensor(dtype === "bool" ? v.map((x) => x === 1) : v, input.shape, dtype);
}

function outputs(r: T): T[] {
  if (Array.isArray(r)) return r;
  if (r && typeof r === "object" && "mean" in r && "variance" in r) return [r.mean, r.variance];
  return [r];
}

const f32 = (shape: number[]): Input => ({ shape });
const pos = (shape: number[]): Input => ({ shape, kind: "pos" });
const dist = (shape: number[]): Input => ({ shape, kind: "distinct" });

const cases: Case[] = [
  // elementwise binary, broadcasting
  { name: "add [2,3]+[3]", inputs: [f32([2, 3]), f32([3])], f: (t, a, b) => t.add(a, b), grad: true },
  { name: "sub [2,1]-[1,3]", inputs: [f32([2, 1]), f32([1, 3])], f: (t, a, b) => t.sub(a, b), grad: true },
  { name: "mul [2,3]*[]", inputs: [f32([2, 3]), f32([])], f: (t, a, b) => t.mul(a, b), grad: true },
  { name: "div [2,3]/[2,1]", inputs: [f32([2, 3]), pos([2, 1])], f: (t, a, b) => t.div(a, b), grad: true },
  { name: "pow", inputs: [pos([2, 3]), f32([3])], f: (t, a, b) => t.pow(a, b), grad: true },
  // TF.js does not reduce the gradients of maximum/minimum/squaredDifference over broadcast axes
  // (it fails its own shape check), so their gradients are compared on equal shapes.
  { name: "maximum broadcast", inputs: [dist([2, 3]), f32([3])], f: (t, a, b) => t.maximum(a, b) },
  { name: "maximum", inputs: [dist([2, 3]), f32([2, 3])], f: (t, a, b) => t.maximum(a, b), grad: true },
  { name: "minimum broadcast", inputs: [dist([2, 3]), f32([3])], f: (t, a, b) => t.minimum(a, b) },
  { name: "minimum", inputs: [dist([2, 3]), f32([2, 3])], f: (t, a, b) => t.minimum(a, b), grad: true },
  { name: "squaredDifference broadcast", inputs: [f32([2, 3]), f32([3])], f: (t, a, b) => t.squaredDifference(a, b) },
  {
    name: "squaredDifference",
    inputs: [f32([2, 3]), f32([2, 3])],
    f: (t, a, b) => t.squaredDifference(a, b),
    grad: true,
  },
  { name: "atan2 [2,3],[3]", inputs: [f32([2, 3]), f32([3])], f: (t, a, b) => t.atan2(a, b), grad: true },
  { name: "mod", inputs: [f32([6]), pos([6])], f: (t, a, b) => t.mod(t.mul(a, 5), b) },
  // TF.js's cpu FloorDiv returns int32 even for float inputs; deepts keeps float32 (like TensorFlow).
  { name: "floorDiv", inputs: [f32([6]), pos([6])], f: (t, a, b) => t.cast(t.floorDiv(t.mul(a, 5), b), "float32") },
  { name: "addN", inputs: [f32([2, 2]), f32([2, 2]), f32([2, 2])], f: (t, a, b, c) => t.addN([a, b, c]), grad: true },
  {
    name: "int32 add/mul",
    inputs: [
      { shape: [4], kind: "int" },
      { shape: [4], kind: "int" },
    ],
    f: (t, a, b) => t.add(t.mul(a, b), a),
  },
  // unary
  ...(
    [
      ["neg", "any"],
      ["abs", "distinct"],
      ["exp", "any"],
      ["expm1", "any"],
      ["log", "pos"],
      ["log1p", "pos"],
      ["sqrt", "pos"],
      ["rsqrt", "pos"],
      ["square", "any"],
      ["reciprocal", "pos"],
      ["sin", "any"],
      ["cos", "any"],
      ["erf", "any"],
      ["sigmoid", "any"],
      ["tanh", "any"],
      ["relu", "distinct"],
      ["relu6", "distinct"],
      ["elu", "distinct"],
      ["selu", "distinct"],
      ["softplus", "any"],
    ] as [string, Kind][]
  ).map(
    ([op, kind]): Case => ({
      name: op,
      inputs: [{ shape: [2, 5], kind }],
      f: (t, x) => t[op](kind === "distinct" ? t.mul(x, 8) : x),
      grad: true,
    }),
  ),
  {
    name: "sign/floor/ceil/round",
    inputs: [f32([8])],
    f: (t, x) => [t.sign(x), t.floor(t.mul(x, 3)), t.ceil(t.mul(x, 3)), t.round(t.mul(x, 3))],
  },
  { name: "leakyRelu", inputs: [dist([6])], f: (t, x) => t.leakyRelu(x, 0.3), grad: true },
  { name: "clipByValue", inputs: [dist([8])], f: (t, x) => t.clipByValue(x, -0.2, 0.3), grad: true },
  { name: "softmax", inputs: [f32([3, 4])], f: (t, x) => t.softmax(t.mul(x, 4)), grad: true },
  { name: "logSoftmax", inputs: [f32([3, 4])], f: (t, x) => t.logSoftmax(t.mul(x, 4)), grad: true },
  // comparisons and select
  {
    name: "comparisons",
    inputs: [dist([2, 3]), dist([3])],
    f: (t, a, b) => [t.equal(a, a), t.greater(a, b), t.lessEqual(a, b), t.notEqual(a, b)],
  },
  {
    name: "logical",
    inputs: [
      { shape: [6], kind: "bool" },
      { shape: [6], kind: "bool" },
    ],
    f: (t, a, b) => [t.logicalAnd(a, b), t.logicalOr(a, b), t.logicalNot(a)],
  },
  {
    name: "where",
    inputs: [{ shape: [2, 3], kind: "bool" }, f32([2, 3]), f32([3])],
    f: (t, c, a, b) => t.where(c, a, b),
    grad: true,
  },
  // reductions
  { name: "sum axis 1", inputs: [f32([3, 4])], f: (t, x) => t.sum(x, 1), grad: true },
  { name: "sum all keepDims", inputs: [f32([2, 3, 2])], f: (t, x) => t.sum(x, null, true), grad: true },
  { name: "mean [0,2]", inputs: [f32([2, 3, 2])], f: (t, x) => t.mean(x, [0, 2]), grad: true },
  { name: "max axis 0", inputs: [dist([3, 4])], f: (t, x) => t.max(x, 0), grad: true },
  { name: "min axis -1 keepDims", inputs: [dist([3, 4])], f: (t, x) => t.min(x, -1, true), grad: true },
  { name: "prod", inputs: [pos([2, 3])], f: (t, x) => t.prod(x, 1), grad: true },
  { name: "argMax/argMin", inputs: [dist([3, 4])], f: (t, x) => [t.argMax(x, 1), t.argMin(x, 0)] },
  { name: "logSumExp", inputs: [f32([3, 4])], f: (t, x) => t.logSumExp(t.mul(x, 3), 1), grad: true },
  { name: "moments", inputs: [f32([4, 3])], f: (t, x) => t.moments(x, 0), grad: false },
  { name: "moments variance grad", inputs: [f32([4, 3])], f: (t, x) => t.moments(x, [0, 1]).variance, grad: true },
  { name: "norm", inputs: [f32([3, 4])], f: (t, x) => [t.norm(x), t.norm(x, 1, 1), t.norm(x, Infinity, 0)] },
  { name: "euclideanNorm", inputs: [f32([3, 4])], f: (t, x) => t.euclideanNorm(x, 1), grad: true },
  {
    name: "tan/sinh/cosh/logSigmoid",
    inputs: [f32([6])],
    f: (t, x) => [t.tan(x), t.sinh(x), t.cosh(x), t.logSigmoid(x)],
  },
  {
    name: "step/isInf/isFinite",
    inputs: [f32([6])],
    f: (t, x) => [t.step(x, 0.3), t.isInf(t.div(x, 0)), t.isFinite(t.div(x, 0))],
  },
  { name: "norm grad", inputs: [f32([3, 4])], f: (t, x) => t.norm(x), grad: true },
  { name: "any/all", inputs: [{ shape: [3, 4], kind: "bool" }], f: (t, x) => [t.any(x, 1), t.all(x, 0)] },
  // shapes
  {
    name: "reshape+transpose",
    inputs: [f32([2, 3, 4])],
    f: (t, x) => t.transpose(t.reshape(x, [4, 6]), [1, 0]),
    grad: true,
  },
  { name: "transpose perm", inputs: [f32([2, 3, 4])], f: (t, x) => t.transpose(x, [2, 0, 1]), grad: true },
  { name: "expandDims/squeeze", inputs: [f32([3, 1, 2])], f: (t, x) => t.expandDims(t.squeeze(x), 1), grad: true },
  { name: "concat axis 1", inputs: [f32([2, 2]), f32([2, 3])], f: (t, a, b) => t.concat([a, b], 1), grad: true },
  { name: "stack axis 1", inputs: [f32([2, 3]), f32([2, 3])], f: (t, a, b) => t.stack([a, b], 1), grad: true },
  { name: "unstack", inputs: [f32([3, 2])], f: (t, x) => t.unstack(x, 1) },
  { name: "split sizes", inputs: [f32([2, 6])], f: (t, x) => t.split(x, [1, 2, 3], 1) },
  { name: "slice", inputs: [f32([3, 4, 2])], f: (t, x) => t.slice(x, [1, 1, 0], [2, -1, 1]), grad: true },
  {
    name: "gather axis 1",
    inputs: [f32([2, 3, 2]), { shape: [4], kind: "index3" }],
    f: (t, x, i) => t.gather(x, i, 1),
    grad: true,
  },
  { name: "tile", inputs: [f32([2, 3])], f: (t, x) => t.tile(x, [2, 3]), grad: true },
  {
    name: "pad",
    inputs: [f32([2, 3])],
    f: (t, x) =>
      t.pad(
        x,
        [
          [1, 2],
          [0, 1],
        ],
        0.5,
      ),
    grad: true,
  },
  { name: "reverse", inputs: [f32([2, 3, 2])], f: (t, x) => t.reverse(x, [0, 2]), grad: true },
  { name: "cast", inputs: [f32([6])], f: (t, x) => [t.cast(t.mul(x, 4), "int32"), t.cast(x, "bool")] },
  { name: "oneHot", inputs: [{ shape: [5], kind: "index3" }], f: (t, i) => t.oneHot(i, 3) },
  {
    name: "unsortedSegmentSum",
    inputs: [f32([5, 2]), { shape: [5], kind: "index3" }],
    f: (t, x, i) => t.unsortedSegmentSum(x, i, 3),
  },
  { name: "range/linspace/eye", inputs: [], f: (t) => [t.range(0, 3, 0.5), t.linspace(-1, 1, 7), t.eye(3, 4)] },
  // linear algebra
  { name: "matMul", inputs: [f32([3, 4]), f32([4, 2])], f: (t, a, b) => t.matMul(a, b), grad: true },
  {
    name: "matMul transposeA",
    inputs: [f32([4, 3]), f32([4, 2])],
    f: (t, a, b) => t.matMul(a, b, true, false),
    grad: true,
  },
  {
    name: "matMul transposeB",
    inputs: [f32([3, 4]), f32([2, 4])],
    f: (t, a, b) => t.matMul(a, b, false, true),
    grad: true,
  },
  { name: "matMul both", inputs: [f32([4, 3]), f32([2, 4])], f: (t, a, b) => t.matMul(a, b, true, true), grad: true },
  { name: "matMul batched", inputs: [f32([2, 3, 4]), f32([2, 4, 2])], f: (t, a, b) => t.matMul(a, b), grad: true },
  // TF.js's matMul gradient does not reduce over broadcast batch axes: values only.
  { name: "matMul batch broadcast", inputs: [f32([2, 3, 4]), f32([1, 4, 2])], f: (t, a, b) => t.matMul(a, b) },
  // TF.js's cumsum mishandles negative axes and the gradient along a non-last axis: not compared.
  {
    name: "cumsum",
    inputs: [f32([3, 4])],
    f: (t, x) => [t.cumsum(x, 1), t.cumsum(x, 0, true), t.cumsum(x, 1, false, true), t.cumsum(x, 1, true, true)],
  },
  { name: "cumsum grad", inputs: [f32([3, 4])], f: (t, x) => t.cumsum(x, 1, true, true), grad: true },
  {
    name: "dot/outerProduct",
    inputs: [f32([3]), f32([3, 2]), f32([2])],
    f: (t, v, m, w) => [t.dot(v, m), t.outerProduct(v, w)],
  },
  // convolutions and pooling
  {
    name: "conv2d same",
    inputs: [f32([2, 5, 5, 3]), f32([3, 3, 3, 4])],
    f: (t, x, w) => t.conv2d(x, w, 1, "same"),
    grad: true,
  },
  {
    name: "conv2d valid stride 2",
    inputs: [f32([1, 6, 7, 2]), f32([3, 2, 2, 3])],
    f: (t, x, w) => t.conv2d(x, w, 2, "valid"),
    grad: true,
  },
  {
    name: "conv2d same stride 2",
    inputs: [f32([1, 6, 7, 2]), f32([3, 3, 2, 2])],
    f: (t, x, w) => t.conv2d(x, w, [2, 2], "same"),
    grad: true,
  },
  // TF.js has no conv2d gradient with dilations > 1: values only (gradCheck covers deepts's).
  {
    name: "conv2d dilated",
    inputs: [f32([1, 6, 6, 2]), f32([2, 2, 2, 2])],
    f: (t, x, w) => t.conv2d(x, w, 1, "same", "NHWC", 2),
  },
  {
    name: "conv2d explicit pad",
    inputs: [f32([1, 4, 4, 1]), f32([3, 3, 1, 2])],
    f: (t, x, w) =>
      t.conv2d(x, w, 1, [
        [0, 0],
        [1, 2],
        [2, 0],
        [0, 0],
      ]),
    grad: true,
  },
  { name: "conv1d", inputs: [f32([2, 7, 2]), f32([3, 2, 3])], f: (t, x, w) => t.conv1d(x, w, 2, "same"), grad: true },
  {
    name: "depthwiseConv2d",
    inputs: [f32([1, 5, 5, 2]), f32([3, 3, 2, 2])],
    f: (t, x, w) => t.depthwiseConv2d(x, w, 1, "same"),
    grad: true,
  },
  {
    name: "depthwiseConv2d stride 2 valid",
    inputs: [f32([1, 6, 6, 3]), f32([2, 2, 3, 1])],
    f: (t, x, w) => t.depthwiseConv2d(x, w, 2, "valid"),
    grad: true,
  },
  {
    name: "conv2dTranspose",
    inputs: [f32([1, 3, 3, 2]), f32([3, 3, 4, 2])],
    f: (t, x, w) => t.conv2dTranspose(x, w, [1, 6, 6, 4], 2, "same"),
    grad: true,
  },
  {
    name: "separableConv2d",
    inputs: [f32([1, 5, 5, 2]), f32([3, 3, 2, 2]), f32([1, 1, 4, 3])],
    f: (t, x, d, p) => t.separableConv2d(x, d, p, 1, "same"),
    grad: true,
  },
  { name: "maxPool valid", inputs: [dist([2, 4, 4, 2])], f: (t, x) => t.maxPool(x, 2, 2, "valid"), grad: true },
  { name: "maxPool same 3x3 s2", inputs: [dist([1, 5, 5, 2])], f: (t, x) => t.maxPool(x, 3, 2, "same"), grad: true },
  // TF.js's avgPool gradient divides by the full window even where 'same' padding made the forward
  // pass divide by fewer elements, so only values are compared (deepts's gradient passes gradCheck).
  { name: "avgPool same", inputs: [f32([1, 5, 5, 2])], f: (t, x) => t.avgPool(x, 3, 2, "same") },
  {
    name: "avgPool valid",
    inputs: [f32([2, 4, 6, 1])],
    f: (t, x) => t.avgPool(x, [2, 3], [2, 3], "valid"),
    grad: true,
  },
  // normalisation
  {
    name: "batchNorm",
    inputs: [f32([4, 3]), f32([3]), pos([3]), f32([3]), f32([3])],
    f: (t, x, m, v, o, s) => t.batchNorm(x, m, v, o, s, 0.01),
    grad: true,
  },
];

function compare(name: string, ours: tf.Tensor, theirs: tfjs.Tensor): void {
  expect(ours.shape, `${name}: shape`).toEqual(theirs.shape);
  expect(ours.dtype, `${name}: dtype`).toBe(theirs.dtype);
  const a = ours.dataSync();
  const b = theirs.dataSync() as ArrayLike<number>;
  for (let i = 0; i < b.length; i++) {
    const diff = Math.abs(a[i] - b[i]);
    if (!(diff <= rel * Math.max(1, Math.abs(b[i])))) {
      throw new Error(
        `${name}: element ${i}: deepts ${a[i]} vs tfjs ${b[i]}\n deepts [${Array.from(a)}]\n tfjs   [${Array.from(b)}]`,
      );
    }
  }
}

forEachBackend(({ tol }) => {
  beforeAll(async () => {
    await tfjs.setBackend("cpu");
    rel = Math.max(REL, tol());
  });

  for (const c of cases) {
    it(c.name, () => {
      const mine = c.inputs.map((inp, i) => make(tf, inp, i + 1));
      const theirs = c.inputs.map((inp, i) => make(tfjs, inp, i + 1));
      const outMine = outputs(c.f(tf, ...mine));
      const outTheirs = outputs(c.f(tfjs, ...theirs));
      expect(outMine.length).toBe(outTheirs.length);
      outMine.forEach((o, i) => compare(`${c.name} output ${i}`, o, outTheirs[i]));
      if (c.grad) {
        const floatIdx = c.inputs
          .map((inp, i) => (inp.kind === "int" || inp.kind === "bool" || inp.kind === "index3" ? -1 : i))
          .filter((i) => i >= 0);
        const gradsOf = (lib: Lib, xs: T[]) => {
          const f = (...fs: T[]) => {
            const args = xs.slice();
            floatIdx.forEach((k, j) => (args[k] = fs[j]));
            const r = c.f(lib, ...args);
            // A fixed, non-uniform weighting so that every output element matters differently.
            return lib.sum(lib.mul(r, lib.add(lib.reshape(lib.range(0, r.size), r.shape), 1)));
          };
          return lib.grads(f)(floatIdx.map((k) => xs[k]));
        };
        const gMine = gradsOf(tf, mine) as tf.Tensor[];
        const gTheirs = gradsOf(tfjs, theirs) as tfjs.Tensor[];
        gMine.forEach((g, i) => compare(`${c.name} gradient ${i}`, g, gTheirs[i]));
      }
    });
  }

  it("covers many ops", () => {
    expect(cases.length).toBeGreaterThan(70);
  });
});
