import type { DataArray } from "../../backend.js";
import type { UnaryKernelName } from "../../kernels.js";
import type { CpuKernel } from "./storage.js";

/** One loop per function, so each inner loop is a plain expression (no per-element calls through a table). */
type UnaryLoop = (x: DataArray, out: DataArray) => void;

const LOOPS: Record<UnaryKernelName, UnaryLoop> = {
  Neg: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = -x[i]!;
  },
  Abs: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]!);
  },
  Exp: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]!);
  },
  Expm1: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.expm1(x[i]!);
  },
  Log: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]!);
  },
  Log1p: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.log1p(x[i]!);
  },
  Sqrt: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]!);
  },
  Rsqrt: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = 1 / Math.sqrt(x[i]!);
  },
  Square: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = x[i]! * x[i]!;
  },
  Reciprocal: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = 1 / x[i]!;
  },
  // Math.sign keeps NaN and maps ±0 to ±0.
  Sign: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.sign(x[i]!);
  },
  Floor: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.floor(x[i]!);
  },
  Ceil: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.ceil(x[i]!);
  },
  Round: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = roundHalfToEven(x[i]!);
  },
  Sin: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.sin(x[i]!);
  },
  Cos: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.cos(x[i]!);
  },
  Sigmoid: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = sigmoid(x[i]!);
  },
  Tanh: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]!);
  },
  // `v > 0 ? v : 0` would turn NaN into 0; keep NaN visible.
  Relu: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = x[i]! < 0 ? 0 : x[i]!;
  },
  Softplus: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = softplus(x[i]!);
  },
  LogicalNot: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = x[i] ? 0 : 1;
  },
  IsNaN: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = x[i]! !== x[i]! ? 1 : 0;
  },
  Erf: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = erf(x[i]!);
  },
};

/** Rounds to the nearest integer, ties to the even one (2.5 → 2, 3.5 → 4, -0.5 → -0). */
export function roundHalfToEven(v: number): number {
  if (!Number.isFinite(v)) return v;
  // Round the magnitude, then restore the sign (so -0.4 → -0, like TF).
  const a = Math.abs(v);
  const floor = Math.floor(a);
  const frac = a - floor;
  const rounded = frac < 0.5 ? floor : frac > 0.5 ? floor + 1 : floor % 2 === 0 ? floor : floor + 1;
  return v < 0 ? -rounded : rounded;
}

/** 1 / (1 + e^-v), written so that neither branch computes e^(large). */
export function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** log(1 + e^v) = max(v, 0) + log1p(e^-|v|): never overflows, exact for large |v|. */
export function softplus(v: number): number {
  return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * The error function, to double precision near 0 and far better than float32 everywhere:
 * the Maclaurin series for |v| < 2.5, and 1 - erfc(|v|) from erfc's continued fraction beyond.
 */
export function erf(v: number): number {
  if (v !== v) return v;
  const a = Math.abs(v);
  if (a < 2.5) {
    // erf(a) = 2/sqrt(pi) * sum_n (-1)^n a^(2n+1) / (n! (2n+1))
    const a2 = a * a;
    let term = a; // (-1)^n a^(2n+1) / n!
    let sum = a;
    for (let n = 1; n < 60; n++) {
      term *= -a2 / n;
      const next = term / (2 * n + 1);
      sum += next;
      if (Math.abs(next) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(v) * TWO_OVER_SQRT_PI * sum;
  }
  if (a > 6) return Math.sign(v); // erfc(6) ≈ 2e-17
  // erfc(a) = e^(-a²)/sqrt(pi) · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + …))))), evaluated bottom-up.
  let fraction = a;
  for (let k = 60; k >= 1; k--) fraction = a + k / 2 / fraction;
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / fraction;
  return Math.sign(v) * (1 - erfc);
}

/** The kernel of unary function `name`: one input, output of the input's shape. */
export function unaryKernel(name: UnaryKernelName): CpuKernel<UnaryKernelName> {
  const loop = LOOPS[name];
  return (store) =>
    ({ inputs: [x], out }) => {
      const values = store.read(x);
      const result = store.alloc(out);
      if (result.length !== values.length) {
        throw new Error(`${name}: output shape [${out.shape.join(",")}] differs from input [${x.shape.join(",")}]`);
      }
      loop(values, result);
      return store.write(result, out.shape, out.dtype);
    };
}
