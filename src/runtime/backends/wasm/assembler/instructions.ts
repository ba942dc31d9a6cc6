/**
 * WebAssembly instructions as typed expression trees. An `Expr` is the bytes that leave one value
 * of its type on the stack (or none: `void`, a statement); an instruction's helper takes its
 * operands as expressions, checks their types and appends its opcode. Plain numbers stand for
 * constants of the type the operand needs.
 *
 * Only the instructions the kernels use are here; opcodes from the core and SIMD specifications.
 *
 * @example
 * f32x4.add(v128.load(a), v128.load(b)) // loads two vectors and adds them lane by lane
 */
import { f32Bytes, sleb32, uleb } from "./encoding.js";

export type ValType = "i32" | "i64" | "f32" | "f64" | "v128";
export type Type = ValType | "void";

/** Bytes that leave a value of type `T` on the stack (`void`: none). */
export interface Expr<T extends Type = Type> {
  readonly type: T;
  readonly code: readonly number[];
}

/** An i32 operand: an expression, or a constant. */
export type I32 = Expr<"i32"> | number;
/** An f32 operand: an expression, or a constant. */
export type F32 = Expr<"f32"> | number;
export type F64 = Expr<"f64"> | number;
export type V128 = Expr<"v128">;
export type Stmt = Expr<"void">;

export const VALTYPE_CODE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

function constant(type: ValType, value: number): Expr {
  switch (type) {
    case "i32":
      return { type, code: [0x41, ...sleb32(value)] };
    case "f32":
      return { type, code: [0x43, ...f32Bytes(value)] };
    case "f64":
      return { type, code: [0x44, ...Array.from(new Uint8Array(new Float64Array([value]).buffer))] };
    default:
      throw new Error(`no ${type} constant from a number`);
  }
}

/** `operand` as an expression of `type` (a number becomes a constant), or a type error. */
export function operand(type: ValType, value: Expr | number, what = "operand"): Expr {
  if (typeof value === "number") return constant(type, value);
  if (value.type !== type) throw new Error(`wasm assembler: ${what} is ${value.type}, expected ${type}`);
  return value;
}

/** An instruction of result `type` with opcode bytes `opcode` after operands of `types`. */
function instr<T extends Type>(
  type: T,
  opcode: readonly number[],
  types: readonly ValType[],
  args: readonly (Expr | number)[],
): Expr<T> {
  if (args.length !== types.length) throw new Error(`wasm assembler: ${args.length} operands for ${types.length}`);
  const code: number[] = [];
  for (let i = 0; i < args.length; i++) code.push(...operand(types[i]!, args[i]!, `operand ${i + 1}`).code);
  code.push(...opcode);
  return { type, code };
}

const SIMD = 0xfd;
const MISC = 0xfc;
const simd = (op: number): number[] => [SIMD, ...uleb(op)];

/** The alignment hint (log2 bytes) and the constant offset of a memory access. */
function memarg(alignLog2: number, offset: number): number[] {
  return [...uleb(alignLog2), ...uleb(offset)];
}

const unary =
  <T extends Type>(type: T, operandType: ValType, opcode: readonly number[]) =>
  (a: Expr | number): Expr<T> =>
    instr(type, opcode, [operandType], [a]);
const binary =
  <T extends Type>(type: T, operandType: ValType, opcode: readonly number[]) =>
  (a: Expr | number, b: Expr | number): Expr<T> =>
    instr(type, opcode, [operandType, operandType], [a, b]);
const load =
  <T extends ValType>(type: T, opcode: readonly number[], alignLog2: number) =>
  (address: I32, offset = 0): Expr<T> =>
    instr(type, [...opcode, ...memarg(alignLog2, offset)], ["i32"], [address]);
const store =
  (valueType: ValType, opcode: readonly number[], alignLog2: number) =>
  (address: I32, value: Expr | number, offset = 0): Stmt =>
    instr("void", [...opcode, ...memarg(alignLog2, offset)], ["i32", valueType], [address, value]);

export const i32 = {
  const: (v: number): Expr<"i32"> => constant("i32", v) as Expr<"i32">,
  load: load("i32", [0x28], 2),
  load8_u: load("i32", [0x2d], 0),
  store: store("i32", [0x36], 2),
  store8: store("i32", [0x3a], 0),
  eqz: unary("i32", "i32", [0x45]),
  eq: binary("i32", "i32", [0x46]),
  ne: binary("i32", "i32", [0x47]),
  lt_s: binary("i32", "i32", [0x48]),
  lt_u: binary("i32", "i32", [0x49]),
  gt_s: binary("i32", "i32", [0x4a]),
  gt_u: binary("i32", "i32", [0x4b]),
  le_s: binary("i32", "i32", [0x4c]),
  le_u: binary("i32", "i32", [0x4d]),
  ge_s: binary("i32", "i32", [0x4e]),
  ge_u: binary("i32", "i32", [0x4f]),
  add: binary("i32", "i32", [0x6a]),
  sub: binary("i32", "i32", [0x6b]),
  mul: binary("i32", "i32", [0x6c]),
  div_s: binary("i32", "i32", [0x6d]),
  div_u: binary("i32", "i32", [0x6e]),
  rem_s: binary("i32", "i32", [0x6f]),
  rem_u: binary("i32", "i32", [0x70]),
  and: binary("i32", "i32", [0x71]),
  or: binary("i32", "i32", [0x72]),
  xor: binary("i32", "i32", [0x73]),
  shl: binary("i32", "i32", [0x74]),
  shr_s: binary("i32", "i32", [0x75]),
  shr_u: binary("i32", "i32", [0x76]),
  /** Truncation toward zero that saturates instead of trapping (NaN gives 0). */
  trunc_sat_f32_s: unary("i32", "f32", [MISC, 0x00]),
  reinterpret_f32: unary("i32", "f32", [0xbc]),
  /** The smaller of two signed integers. */
  min_s: (a: I32, b: I32): Expr<"i32"> => select("i32", a, b, i32.lt_s(a, b)),
  max_s: (a: I32, b: I32): Expr<"i32"> => select("i32", a, b, i32.gt_s(a, b)),
};

export const f32 = {
  const: (v: number): Expr<"f32"> => constant("f32", v) as Expr<"f32">,
  load: load("f32", [0x2a], 2),
  store: store("f32", [0x38], 2),
  eq: binary("i32", "f32", [0x5b]),
  ne: binary("i32", "f32", [0x5c]),
  lt: binary("i32", "f32", [0x5d]),
  gt: binary("i32", "f32", [0x5e]),
  le: binary("i32", "f32", [0x5f]),
  ge: binary("i32", "f32", [0x60]),
  abs: unary("f32", "f32", [0x8b]),
  neg: unary("f32", "f32", [0x8c]),
  ceil: unary("f32", "f32", [0x8d]),
  floor: unary("f32", "f32", [0x8e]),
  trunc: unary("f32", "f32", [0x8f]),
  nearest: unary("f32", "f32", [0x90]),
  sqrt: unary("f32", "f32", [0x91]),
  add: binary("f32", "f32", [0x92]),
  sub: binary("f32", "f32", [0x93]),
  mul: binary("f32", "f32", [0x94]),
  div: binary("f32", "f32", [0x95]),
  min: binary("f32", "f32", [0x96]),
  max: binary("f32", "f32", [0x97]),
  convert_i32_s: unary("f32", "i32", [0xb2]),
  demote_f64: unary("f32", "f64", [0xb6]),
  reinterpret_i32: unary("f32", "i32", [0xbe]),
};

export const f64 = {
  const: (v: number): Expr<"f64"> => constant("f64", v) as Expr<"f64">,
  add: binary("f64", "f64", [0xa0]),
  sub: binary("f64", "f64", [0xa1]),
  mul: binary("f64", "f64", [0xa2]),
  div: binary("f64", "f64", [0xa3]),
  promote_f32: unary("f64", "f32", [0xbb]),
};

export const v128 = {
  load: load("v128", simd(0x00), 4),
  /** Loads one f32/i32 and copies it into all four lanes. */
  load32_splat: load("v128", simd(0x09), 2),
  store: store("v128", simd(0x0b), 4),
  /** A constant from 16 bytes. */
  const: (bytes: readonly number[]): V128 => {
    if (bytes.length !== 16) throw new Error("v128.const takes 16 bytes");
    return { type: "v128", code: [...simd(0x0c), ...bytes] };
  },
  not: unary("v128", "v128", simd(0x4d)),
  and: binary("v128", "v128", simd(0x4e)),
  andnot: binary("v128", "v128", simd(0x4f)),
  or: binary("v128", "v128", simd(0x50)),
  xor: binary("v128", "v128", simd(0x51)),
  /** Bits of `a` where `mask` is 1, of `b` where it is 0. */
  bitselect: (a: V128, b: V128, mask: V128): V128 => instr("v128", simd(0x52), ["v128", "v128", "v128"], [a, b, mask]),
  any_true: unary("i32", "v128", simd(0x53)),
};

const lane = (max: number, i: number): number => {
  if (!Number.isInteger(i) || i < 0 || i >= max) throw new Error(`lane index ${i} out of 0..${max - 1}`);
  return i;
};

/** Lanes of two vectors picked by 32-bit lane number (0–3 from `a`, 4–7 from `b`). */
function shuffle32(a: V128, b: V128, lanes: readonly [number, number, number, number]): V128 {
  const bytes = lanes.flatMap((l) => [0, 1, 2, 3].map((k) => lane(8, l) * 4 + k));
  return instr("v128", [...simd(0x0d), ...bytes], ["v128", "v128"], [a, b]);
}

export const i8x16 = {
  shuffle32,
};

export const f32x4 = {
  splat: unary("v128", "f32", simd(0x13)),
  /** Four float32 lanes as a constant. */
  const: (a: number, b = a, c = a, d = a): V128 =>
    v128.const([...f32Bytes(a), ...f32Bytes(b), ...f32Bytes(c), ...f32Bytes(d)]),
  extract_lane: (v: V128, i: number): Expr<"f32"> => instr("f32", [...simd(0x1f), lane(4, i)], ["v128"], [v]),
  replace_lane: (v: V128, i: number, x: F32): V128 =>
    instr("v128", [...simd(0x20), lane(4, i)], ["v128", "f32"], [v, x]),
  eq: binary("v128", "v128", simd(0x41)),
  ne: binary("v128", "v128", simd(0x42)),
  lt: binary("v128", "v128", simd(0x43)),
  gt: binary("v128", "v128", simd(0x44)),
  le: binary("v128", "v128", simd(0x45)),
  ge: binary("v128", "v128", simd(0x46)),
  ceil: unary("v128", "v128", simd(0x67)),
  floor: unary("v128", "v128", simd(0x68)),
  trunc: unary("v128", "v128", simd(0x69)),
  nearest: unary("v128", "v128", simd(0x6a)),
  abs: unary("v128", "v128", simd(0xe0)),
  neg: unary("v128", "v128", simd(0xe1)),
  sqrt: unary("v128", "v128", simd(0xe3)),
  add: binary("v128", "v128", simd(0xe4)),
  sub: binary("v128", "v128", simd(0xe5)),
  mul: binary("v128", "v128", simd(0xe6)),
  div: binary("v128", "v128", simd(0xe7)),
  /** IEEE minimum: NaN if either lane is NaN. */
  min: binary("v128", "v128", simd(0xe8)),
  max: binary("v128", "v128", simd(0xe9)),
  /** `b < a ? b : a` lane by lane (one instruction on x86; a NaN in `a` passes through). */
  pmin: binary("v128", "v128", simd(0xea)),
  /** `a < b ? b : a` lane by lane. */
  pmax: binary("v128", "v128", simd(0xeb)),
  convert_i32x4_s: unary("v128", "v128", simd(0xfa)),
};

export const i32x4 = {
  splat: unary("v128", "i32", simd(0x11)),
  const: (a: number, b = a, c = a, d = a): V128 =>
    v128.const(Array.from(new Uint8Array(new Int32Array([a, b, c, d]).buffer))),
  extract_lane: (v: V128, i: number): Expr<"i32"> => instr("i32", [...simd(0x1b), lane(4, i)], ["v128"], [v]),
  eq: binary("v128", "v128", simd(0x37)),
  shl: (v: V128, bits: I32): V128 => instr("v128", simd(0xab), ["v128", "i32"], [v, bits]),
  shr_s: (v: V128, bits: I32): V128 => instr("v128", simd(0xac), ["v128", "i32"], [v, bits]),
  shr_u: (v: V128, bits: I32): V128 => instr("v128", simd(0xad), ["v128", "i32"], [v, bits]),
  add: binary("v128", "v128", simd(0xae)),
  sub: binary("v128", "v128", simd(0xb1)),
  /** Truncation toward zero, saturating (NaN gives 0). */
  trunc_sat_f32x4_s: unary("v128", "v128", simd(0xf8)),
};

/** `cond ? a : b` (both evaluated). */
export function select<T extends ValType>(type: T, a: Expr | number, b: Expr | number, cond: I32): Expr<T> {
  return instr(type, [0x1b], [type, type, "i32"], [a, b, cond]);
}

export const memory = {
  /** Sets `bytes` bytes from `address` to `value` (low 8 bits). */
  fill: (address: I32, value: I32, bytes: I32): Stmt =>
    instr("void", [MISC, ...uleb(0x0b), 0x00], ["i32", "i32", "i32"], [address, value, bytes]),
  /** Copies `bytes` bytes from `source` to `dest` (the ranges may overlap). */
  copy: (dest: I32, source: I32, bytes: I32): Stmt =>
    instr("void", [MISC, ...uleb(0x0a), 0x00, 0x00], ["i32", "i32", "i32"], [dest, source, bytes]),
};

/** Evaluates `value` and discards it. */
export function drop(value: Expr): Stmt {
  if (value.type === "void") throw new Error("wasm assembler: drop of a statement");
  return { type: "void", code: [...value.code, 0x1a] };
}
