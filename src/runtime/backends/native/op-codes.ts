/**
 * The operation codes the native addon's functions take, shared with its C++ side: `npm run gen`
 * writes `csrc/op_codes.h` from this file (csrc/gen-op-codes.mjs), the addon's switches name these
 * enumerators (a code without a case fails its build), and CI checks the header is up to date.
 * The addon also reports the fingerprint of the codes it was built with, and `loadAddon` refuses
 * a build whose codes differ from these.
 *
 * `UnaryOp`, `BinaryOp` and `ReduceOp` members are named after the kernels they run
 * (src/runtime/kernels.ts); a kernel of those families without a code here runs the cpu loop.
 * No imports: the generator transpiles this file alone.
 */

/** `unary(params [op], x, y)`: float32 → float32 functions, and IsNaN (bool output). */
export enum UnaryOp {
  IsNaN = -1,
  Neg,
  Abs,
  Exp,
  Expm1,
  Log,
  Log1p,
  Sqrt,
  Rsqrt,
  Square,
  Reciprocal,
  Sign,
  Floor,
  Ceil,
  Round,
  Sin,
  Cos,
  Sigmoid,
  Tanh,
  Relu,
  Softplus,
  Erf,
}

/** `binary(params [op, rank, …], a, b, y)`: float32 functions, and comparisons (bool output, `COMPARISONS`). */
export enum BinaryOp {
  Add,
  Sub,
  Mul,
  Div,
  Pow,
  Maximum,
  Minimum,
  Mod,
  FloorDiv,
  Equal,
  NotEqual,
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  Atan2,
}

/** The binary operations whose output is bool (0/1 bytes); the others give float32. */
export const COMPARISONS: readonly BinaryOp[] = [
  BinaryOp.Equal,
  BinaryOp.NotEqual,
  BinaryOp.Less,
  BinaryOp.LessEqual,
  BinaryOp.Greater,
  BinaryOp.GreaterEqual,
];

/** `reduce(params [op, outer, size], x, y)` over the innermost axis; ArgMax and ArgMin give int32. */
export enum ReduceOp {
  Sum,
  Prod,
  Max,
  Min,
  ArgMax,
  ArgMin,
}

/** `cast(params [from, to], x, y)`: the dtypes. */
export enum DTypeCode {
  Float32,
  Int32,
  Bool,
}

/** `activationGrad(params [op], …)`, `rnnForward`/`rnnBackward(params [op, …], …)`. */
export enum ActivationOp {
  Relu,
  Sigmoid,
  Tanh,
}

/** `biasActivation(params [op, channels], …)`. */
export enum BiasActivationOp {
  Linear,
  Relu,
  Sigmoid,
  Tanh,
}

/** `rowwise(params [op, rows, cols], eps, …)`: the row kernels over the last axis. */
export enum RowOp {
  Softmax,
  SoftmaxGrad,
  CrossEntropy,
  CrossEntropyGrad,
  SparseCrossEntropy,
  SparseCrossEntropyGrad,
}

/** `adam(hyper [pass, …], …)`: Adam's two passes. */
export enum AdamPass {
  Moments,
  Step,
}

/** The enums the header declares (as `enum class` of the same name), in its order. */
export const OP_CODE_ENUMS = {
  UnaryOp,
  BinaryOp,
  ReduceOp,
  DTypeCode,
  ActivationOp,
  BiasActivationOp,
  RowOp,
  AdamPass,
} as const;

/** The sets the header declares as `constexpr bool name(Enum op)`: which codes belong to each. */
export const OP_CODE_SETS = {
  isComparison: { of: "BinaryOp", codes: COMPARISONS },
} as const;

/** The members of a numeric TypeScript enum, in code order. */
export function enumMembers(e: object): [name: string, code: number][] {
  return Object.entries(e)
    .filter((entry): entry is [string, number] => typeof entry[1] === "number")
    .sort((a, b) => a[1] - b[1]);
}

/**
 * A 32-bit FNV-1a hash of every enum's members and every set: the header carries it as
 * `kOpCodesFingerprint`, the addon returns it from `opCodesFingerprint()`.
 */
export function opCodesFingerprint(): number {
  const parts: string[] = [];
  for (const [name, e] of Object.entries(OP_CODE_ENUMS)) {
    parts.push(`${name}{${enumMembers(e).map(([member, code]) => `${member}=${code}`)}}`);
  }
  for (const [name, set] of Object.entries(OP_CODE_SETS)) parts.push(`${name}(${set.of}){${set.codes.join(",")}}`);
  let hash = 0x811c9dc5;
  for (const ch of parts.join(";")) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
