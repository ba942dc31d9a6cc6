import { type DType, sizeOf, type TensorInfo } from "../../backend.js";
import { broadcastStrides } from "../broadcast.js";
import type { BinaryKernelName, ReduceKernelName, UnaryKernelName } from "../../kernels.js";
import type { DecliningKernel } from "./context.js";
import { BinaryOp, COMPARISONS, DTypeCode, ReduceOp, UnaryOp } from "./op-codes.js";
import { collapseAxes, packParams } from "./strides.js";

/**
 * The addon's code for kernel `name` in `codes` (an enum of op-codes.ts whose members are named
 * after kernels), or undefined when the addon has no such operation.
 */
export function opCode(codes: object, name: string): number | undefined {
  const code = (codes as Record<string, unknown>)[name];
  return typeof code === "number" ? code : undefined;
}

const DTYPE_CODES: Record<DType, DTypeCode> = {
  float32: DTypeCode.Float32,
  int32: DTypeCode.Int32,
  bool: DTypeCode.Bool,
};

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
  const code = opCode(UnaryOp, name);
  if (code === undefined) throw new Error(`native: no unary op code for ${name}`);
  const outDType = code === UnaryOp.IsNaN ? "bool" : "float32";
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
  const code = opCode(BinaryOp, name);
  if (code === undefined) throw new Error(`native: no binary op code for ${name}`);
  const outDType = COMPARISONS.includes(code) ? "bool" : "float32";
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
  const code = opCode(ReduceOp, name);
  if (code === undefined) throw new Error(`native: no reduce op code for ${name}`);
  const outDType = code === ReduceOp.ArgMax || code === ReduceOp.ArgMin ? "int32" : "float32";
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
    addon.cast(Int32Array.of(DTYPE_CODES[x.dtype], DTYPE_CODES[out.dtype]), store.read(x), result);
    return store.write(result, out.shape, out.dtype);
  };
