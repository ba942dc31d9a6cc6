/**
 * Elementwise kernels: unary functions, broadcast binary functions, Select and Cast.
 *
 * Each function is written as gpu.js kernel source over float32 values; int32 and bool inputs are
 * converted to float32 on the way in (exact below 2^24) and results are stored in the output dtype.
 */
import type { BinaryKernelName, UnaryKernelName } from "../../../kernels.js";
import { broadcastIndices, kernelSource } from "../codegen.js";
import { type GpuKernel, launch } from "../context.js";

/** Statements (using `v`) and the value expression of each unary function of `v`. */
type Fn = { pre?: string; expr: string };

const ERF = (v: string): Fn => ({
  // Maclaurin series near 0 (keeps relative accuracy for tiny |v|), Abramowitz–Stegun 7.1.26 beyond.
  pre: `const ax = Math.abs(${v});
let e = 0.0;
if (ax < 0.5) {
  const x2 = ${v} * ${v};
  e = ${v} * (1.1283791670955126 + x2 * (-0.37612638903183754 + x2 * (0.11283791670955126 + x2 * (-0.026866170645131252 + x2 * (0.005223977625442188 + x2 * (-0.0008548327023450852 + x2 * 0.00012055332981789664))))));
} else {
  const t = 1 / (1 + 0.3275911 * ax);
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-ax * ax);
  e = ${v} < 0 ? -y : y;
}
`,
  expr: "e",
});

const UNARY: Record<UnaryKernelName, (v: string) => Fn> = {
  Neg: (v) => ({ expr: `-${v}` }),
  Abs: (v) => ({ expr: `Math.abs(${v})` }),
  Exp: (v) => ({ expr: `Math.exp(${v})` }),
  Expm1: (v) => ({ expr: `Math.expm1(${v})` }),
  Log: (v) => ({ expr: `Math.log(${v})` }),
  Log1p: (v) => ({ expr: `Math.log1p(${v})` }),
  Sqrt: (v) => ({ expr: `Math.sqrt(${v})` }),
  Rsqrt: (v) => ({ expr: `1 / Math.sqrt(${v})` }),
  Square: (v) => ({ expr: `${v} * ${v}` }),
  Reciprocal: (v) => ({ expr: `1 / ${v}` }),
  Sign: (v) => ({ expr: `Math.sign(${v})` }),
  Floor: (v) => ({ expr: `Math.floor(${v})` }),
  Ceil: (v) => ({ expr: `Math.ceil(${v})` }),
  // Half-way cases go to the even neighbour (banker's rounding); the sign is restored after
  // rounding the magnitude, so -0.4 gives -0.
  Round: (v) => ({
    pre: `const ra = Math.abs(${v});
const fl = Math.floor(ra);
const fr = ra - fl;
let r = fl;
if (fr > 0.5) { r = fl + 1; }
if (fr == 0.5) { r = fl - 2 * Math.floor(fl * 0.5) == 0 ? fl : fl + 1; }
if (${v} < 0) { r = -r; }
if (ra == 1 / 0) { r = ${v}; }
`,
    expr: "r",
  }),
  Sin: (v) => ({ expr: `Math.sin(${v})` }),
  Cos: (v) => ({ expr: `Math.cos(${v})` }),
  Sigmoid: (v) => ({ expr: `1 / (1 + Math.exp(-${v}))` }),
  Tanh: (v) => ({ expr: `Math.tanh(${v})` }),
  Relu: (v) => ({ expr: `${v} < 0 ? 0.0 : ${v}` }),
  // log(1 + e^v) without overflow for large v.
  Softplus: (v) => ({ expr: `Math.max(${v}, 0) + Math.log1p(Math.exp(-Math.abs(${v})))` }),
  // JS truthiness: 0 and NaN are false
  LogicalNot: (v) => ({ expr: `${v} != 0 && ${v} == ${v} ? 0.0 : 1.0` }),
  IsNaN: (v) => ({ expr: `${v} != ${v} ? 1.0 : 0.0` }),
  Erf: ERF,
};

/**
 * Unary functions written differently for GL shaders. GLSL lets the shader compiler fold a compare
 * into min/max/sign, which drops NaN (Mesa does), and gpu.js's GLSL tanh overflows to NaN past
 * |v| ≈ 44: these keep NaN and saturate like the cpu backend.
 */
const GL_UNARY: Partial<Record<UnaryKernelName, (v: string) => Fn>> = {
  Sign: (v) => ({ expr: `${v} != ${v} ? ${v} : Math.sign(${v})` }),
  Relu: (v) => ({ pre: `if (${v} != ${v}) { return ${v}; }\n`, expr: `${v} < 0 ? 0.0 : ${v}` }),
  // odd Maclaurin series up to v^15 below |v| = 0.5 (no cancellation), (1 - e^-2|v|) / (1 + e^-2|v|) beyond
  Tanh: (v) => ({
    pre: `const ta = Math.abs(${v});
let th = 0.0;
if (ta < 0.5) {
  const t2 = ${v} * ${v};
  th = ${v} * (1 + t2 * (-0.3333333333333333 + t2 * (0.13333333333333333 + t2 * (-0.05396825396825397 + t2 * (0.021869488536155203 + t2 * (-0.008863235529902197 + t2 * (0.003592128036572481 + t2 * -0.0014558343870513183)))))));
} else {
  const te = Math.exp(-2 * ta);
  th = (1 - te) / (1 + te);
  if (${v} < 0) { th = -th; }
}
if (${v} != ${v}) { th = ${v}; }
`,
    expr: "th",
  }),
};

/** Value expression (and statements) of each binary function of `a`, `b`; `int` = both int32. */
const BINARY: Record<BinaryKernelName, (a: string, b: string, int: boolean) => Fn> = {
  Add: (a, b) => ({ expr: `${a} + ${b}` }),
  Sub: (a, b) => ({ expr: `${a} - ${b}` }),
  Mul: (a, b) => ({ expr: `${a} * ${b}` }),
  Div: (a, b) => ({ expr: `${a} / ${b}` }),
  Pow: (a, b) => ({ expr: `Math.pow(${a}, ${b})` }),
  Maximum: (a, b) => ({ expr: `Math.max(${a}, ${b})` }),
  Minimum: (a, b) => ({ expr: `Math.min(${a}, ${b})` }),
  // Floored modulo (the result takes the divisor's sign); the float32 quotient can land one off,
  // so the remainder is pulled back into range.
  Mod: (a, b) => ({
    pre: `let m = ${a} - Math.floor(${a} / ${b}) * ${b};
if (${b} > 0) { if (m < 0) { m = m + ${b}; } if (m >= ${b}) { m = m - ${b}; } }
if (${b} < 0) { if (m > 0) { m = m + ${b}; } if (m <= ${b}) { m = m - ${b}; } }
`,
    expr: "m",
  }),
  FloorDiv: (a, b, int) =>
    int
      ? {
          // exact for int32 operands below 2^24: correct the float32 quotient by the remainder
          pre: `let q = Math.floor(${a} / ${b});
const rm = ${a} - q * ${b};
if (${b} > 0) { if (rm < 0) { q = q - 1; } if (rm >= ${b}) { q = q + 1; } }
if (${b} < 0) { if (rm > 0) { q = q - 1; } if (rm <= ${b}) { q = q + 1; } }
`,
          expr: "q",
        }
      : { expr: `Math.floor(${a} / ${b})` },
  Equal: (a, b) => ({ expr: `${a} == ${b} ? 1.0 : 0.0` }),
  NotEqual: (a, b) => ({ expr: `${a} != ${b} ? 1.0 : 0.0` }),
  Less: (a, b) => ({ expr: `${a} < ${b} ? 1.0 : 0.0` }),
  LessEqual: (a, b) => ({ expr: `${a} <= ${b} ? 1.0 : 0.0` }),
  Greater: (a, b) => ({ expr: `${a} > ${b} ? 1.0 : 0.0` }),
  GreaterEqual: (a, b) => ({ expr: `${a} >= ${b} ? 1.0 : 0.0` }),
  LogicalAnd: (a, b) => ({ expr: `${a} != 0 && ${a} == ${a} && ${b} != 0 && ${b} == ${b} ? 1.0 : 0.0` }),
  LogicalOr: (a, b) => ({ expr: `(${a} != 0 && ${a} == ${a}) || (${b} != 0 && ${b} == ${b}) ? 1.0 : 0.0` }),
  Atan2: (a, b) => ({ expr: `Math.atan2(${a}, ${b})` }),
};

/**
 * Binary functions written differently for GL shaders: GLSL's min/max may drop a NaN operand, and
 * its pow is undefined for a negative base (NaN here even for whole exponents) and for a zero base
 * with a negative exponent, so Pow takes |a| and restores what JavaScript's Math.pow gives.
 */
const GL_BINARY: Partial<Record<BinaryKernelName, (a: string, b: string, int: boolean) => Fn>> = {
  Maximum: (a, b) => ({ expr: `${a} != ${a} || ${b} != ${b} ? ${a} + ${b} : Math.max(${a}, ${b})` }),
  Minimum: (a, b) => ({ expr: `${a} != ${a} || ${b} != ${b} ? ${a} + ${b} : Math.min(${a}, ${b})` }),
  Pow: (a, b) => ({
    pre: `let p = Math.pow(Math.abs(${a}), ${b});
if (${a} == 0 && ${b} < 0) { p = 1 / 0; }
if (${a} < 0) {
  if (Math.floor(${b}) != ${b}) { p = 0 / 0; } else { if (Math.floor(${b} * 0.5) * 2 != ${b}) { p = -p; } }
}
if (${a} != ${a} || ${b} != ${b}) { p = 0 / 0; }
if (${b} == 0) { p = 1; }
`,
    expr: "p",
  }),
};

/** Unary function `name` as source for compiler `mode` (the GL variant on headlessgl where `GL_UNARY` has one). */
export function unarySource(mode: string | undefined, name: UnaryKernelName): (v: string) => Fn {
  return (mode === "headlessgl" ? GL_UNARY[name] : undefined) ?? UNARY[name];
}

/** The kernel of unary function `name` (written for GL shaders where `GL_UNARY` has it). */
export function unaryKernel(name: UnaryKernelName): GpuKernel<UnaryKernelName> {
  return (ctx) => {
    const f = unarySource(ctx.compiler?.mode, name);
    return ({ inputs: [x], out }) =>
      launch(ctx, {
        key: name,
        inputs: [x],
        out,
        source: () => {
          const fn = f("v");
          return kernelSource(["x"], `const v = x[i];\n${fn.pre ?? ""}return ${fn.expr};\n`);
        },
      });
  };
}

/** The kernel of binary function `name`, broadcast (written for GL shaders where `GL_BINARY` has it). */
export function binaryKernel(name: BinaryKernelName): GpuKernel<BinaryKernelName> {
  return (ctx) => {
    const f = (ctx.compiler?.mode === "headlessgl" ? GL_BINARY[name] : undefined) ?? BINARY[name];
    return ({ inputs: [a, b], out }) =>
      launch(ctx, {
        key: name,
        inputs: [a, b],
        out,
        source: () => {
          const { pre, index } = broadcastIndices("i", out.shape, [a.shape, b.shape]);
          const fn = f("va", "vb", a.dtype === "int32" && b.dtype === "int32");
          return kernelSource(
            ["a", "b"],
            `${pre}const va = a[${index[0]}];\nconst vb = b[${index[1]}];\n${fn.pre ?? ""}return ${fn.expr};\n`,
          );
        },
      });
  };
}

export const select: GpuKernel<"Select"> =
  (ctx) =>
  ({ inputs: [cond, a, b], out }) =>
    launch(ctx, {
      key: "Select",
      inputs: [cond, a, b],
      out,
      source: () => {
        const { pre, index } = broadcastIndices("i", out.shape, [cond.shape, a.shape, b.shape]);
        return kernelSource(
          ["c", "a", "b"],
          `${pre}if (c[${index[0]}] != 0) { return a[${index[1]}]; }\nreturn b[${index[2]}];\n`,
        );
      },
    });

export const cast: GpuKernel<"Cast"> =
  (ctx) =>
  ({ inputs: [x], attrs, out }) => {
    const to = attrs.dtype;
    return launch(ctx, {
      key: `Cast:${to}`,
      inputs: [x],
      out: { shape: out.shape, dtype: to },
      source: () => {
        const expr = to === "bool" ? "v != 0 ? 1.0 : 0.0" : to === "int32" ? "Math.trunc(v)" : "v";
        return kernelSource(["x"], `const v = x[i];\nreturn ${expr};\n`);
      },
    });
  };
