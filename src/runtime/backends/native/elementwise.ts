import { type DType, sizeOf, type TensorInfo } from "../../backend.js";
import { broadcastStrides } from "../broadcast.js";
import type { BinaryKernelName, ReduceKernelName, UnaryKernelName } from "../../kernels.js";
import type { DecliningKernel } from "./context.js";
import { collapseAxes, packParams } from "./strides.js";

/** Native unary op codes (the `case` numbers of `unaryOp` in csrc/deepts_native.cc); IsNaN is -1. */
export const UNARY_CODES: Partial<Record<UnaryKernelName, number>> = {
  Neg: 0,
  Abs: 1,
  Exp: 2,
  Expm1: 3,
  Log: 4,
  Log1p: 5,
  Sqrt: 6,
  Rsqrt: 7,
  Square: 8,
  Reciprocal: 9,
  Sign: 10,
  Floor: 11,
  Ceil: 12,
  Round: 13,
  Sin: 14,
  Cos: 15,
  Sigmoid: 16,
  Tanh: 17,
  Relu: 18,
  Softplus: 19,
  Erf: 20,
  IsNaN: -1,
};

/** Native binary op codes (`BinaryOp` in deepts_native.cc); codes from 9 on compare and give bool. */
export const BINARY_CODES: Partial<Record<BinaryKernelName, number>> = {
  Add: 0,
  Sub: 1,
  Mul: 2,
  Div: 3,
  Pow: 4,
  Maximum: 5,
  Minimum: 6,
  Mod: 7,
  FloorDiv: 8,
  Equal: 9,
  NotEqual: 10,
  Less: 11,
  LessEqual: 12,
  Greater: 13,
  GreaterEqual: 14,
};

export const REDUCE_CODES: Partial<Record<ReduceKernelName, number>> = {
  Sum: 0,
  Prod: 1,
  Max: 2,
  Min: 3,
  ArgMax: 4,
  ArgMin: 5,
};

const CAST_CODES: Record<DType, number> = { float32: 0, int32: 1, bool: 2 };

/** The most axes the native walkers take after merging (deepts_native.cc keeps fixed-size counters). */
const MAX_RANK = 16;

/** Strides of each input read at `outShape`, merged into as few axes as possible. */
function broadcastLayout(inputs: readonly TensorInfo[], outShape: readonly number[]) {
  return collapseAxes(
    outShape,
    inputs.map((t) => broadcastStrides(t.shape, outShape)),
  );
}

/** Unary function `name` on float32 data (IsNaN gives bool); other dtypes are declined. */
export function unaryKernel(name: UnaryKernelName): DecliningKernel<UnaryKernelName> {
  const code = UNARY_CODES[name];
  if (code === undefined) throw new Error(`native: no unary op code for ${name}`);
  const outDType = code === -1 ? "bool" : "float32";
  return ({ store, addon }) => {
    const params = Int32Array.of(code);
    return ({ inputs: [x], out }) => {
      if (x.dtype !== "float32" || out.dtype !== outDType) return undefined;
      const values = store.read(x) as Float32Array;
      const result = store.allocRaw(out) as Float32Array | Uint8Array;
      if (result.length !== values.length) {
        throw new Error(`${name}: output shape [${out.shape.join(",")}] differs from input [${x.shape.join(",")}]`);
      }
      addon.unary(params, values, result);
      return store.write(result, out.shape, out.dtype);
    };
  };
}

/** Binary function `name` on float32 data, broadcast (comparisons give bool); other dtypes are declined. */
export function binaryKernel(name: BinaryKernelName): DecliningKernel<BinaryKernelName> {
  const code = BINARY_CODES[name];
  if (code === undefined) throw new Error(`native: no binary op code for ${name}`);
  const outDType = code >= 9 ? "bool" : "float32";
  return ({ store, addon }) => {
    // Parameters over one flat row: [code, rank 1, n, aStride, bStride] (reused: kernels run one at a time).
    const flat = Int32Array.of(code, 1, 0, 0, 0);
    return ({ inputs: [a, b], out }) => {
      if (a.dtype !== "float32" || b.dtype !== "float32" || out.dtype !== outDType) return undefined;
      const av = store.read(a) as Float32Array;
      const bv = store.read(b) as Float32Array;
      const n = sizeOf(out.shape);
      let p: Int32Array;
      // An input as large as the output has the output's layout; one of size 1 is a scalar.
      if ((av.length === n || av.length === 1) && (bv.length === n || bv.length === 1)) {
        flat[2] = n;
        flat[3] = av.length === n ? 1 : 0;
        flat[4] = bv.length === n ? 1 : 0;
        p = flat;
      } else {
        const layout = broadcastLayout([a, b], out.shape);
        if (layout.shape.length > MAX_RANK) return undefined;
        p = packParams([code, layout.shape.length], layout.shape, layout.strides);
      }
      const result = store.allocRaw(out) as Float32Array | Uint8Array;
      addon.binary(p, av, bv, result);
      return store.write(result, out.shape, out.dtype);
    };
  };
}

/** Reduction `name` of the innermost axis on float32 data (ArgMax/ArgMin give int32); other dtypes are declined. */
export function reduceKernel(name: ReduceKernelName): DecliningKernel<ReduceKernelName> {
  const code = REDUCE_CODES[name];
  if (code === undefined) throw new Error(`native: no reduce op code for ${name}`);
  const outDType = code >= 4 ? "int32" : "float32";
  return ({ store, addon }) =>
    ({ inputs: [x], attrs: { reduceSize }, out }) => {
      if (x.dtype !== "float32" || out.dtype !== outDType) return undefined;
      const values = store.read(x) as Float32Array;
      const result = store.allocRaw(out) as Float32Array | Int32Array;
      if (!Number.isInteger(reduceSize) || reduceSize < 0 || values.length !== result.length * reduceSize) {
        throw new Error(
          `${name}: input of ${values.length} values cannot reduce by ${reduceSize} to shape [${out.shape.join(",")}]`,
        );
      }
      addon.reduce(Int32Array.of(code, result.length, reduceSize), values, result);
      return store.write(result, out.shape, out.dtype);
    };
}

/** `cond ? a : b` broadcast, for a bool `cond` and `a`, `b` of the output's dtype. */
export const select: DecliningKernel<"Select"> =
  ({ store, addon }) =>
  ({ inputs: [cond, a, b], out }) => {
    if (cond.dtype !== "bool" || a.dtype !== out.dtype || b.dtype !== out.dtype) return undefined;
    const layout = broadcastLayout([cond, a, b], out.shape);
    if (layout.shape.length > MAX_RANK) return undefined;
    const result = store.allocRaw(out);
    const p = packParams([out.dtype === "bool" ? 1 : 4, layout.shape.length], layout.shape, layout.strides);
    addon.select(p, store.read(cond) as Uint8Array, store.read(a), store.read(b), result);
    return store.write(result, out.shape, out.dtype);
  };

/** float32 ↔ int32 and float32 ↔ bool; the rest (same-dtype copies, int32 ↔ bool) are declined. */
export const cast: DecliningKernel<"Cast"> =
  ({ store, addon }) =>
  ({ inputs: [x], attrs, out }) => {
    if (attrs.dtype !== out.dtype)
      throw new Error(`Cast: attrs.dtype '${attrs.dtype}' differs from out.dtype '${out.dtype}'`);
    if ((x.dtype === "float32") === (out.dtype === "float32")) return undefined;
    const result = store.allocRaw(out);
    addon.cast(Int32Array.of(CAST_CODES[x.dtype], CAST_CODES[out.dtype]), store.read(x), result);
    return store.write(result, out.shape, out.dtype);
  };
