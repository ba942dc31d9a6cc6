// Generated from src/runtime/backends/native/op-codes.ts by `npm run gen` (csrc/gen-op-codes.mjs): do not edit.
// The addon's switches name these enumerators without a default, and it builds with -Werror=switch:
// a code added in op-codes.ts without its case in deepts_native.cc fails the build.
#pragma once

#include <cstdint>

namespace deepts {

enum class UnaryOp : int32_t {
  IsNaN = -1,
  Neg = 0,
  Abs = 1,
  Exp = 2,
  Expm1 = 3,
  Log = 4,
  Log1p = 5,
  Sqrt = 6,
  Rsqrt = 7,
  Square = 8,
  Reciprocal = 9,
  Sign = 10,
  Floor = 11,
  Ceil = 12,
  Round = 13,
  Sin = 14,
  Cos = 15,
  Sigmoid = 16,
  Tanh = 17,
  Relu = 18,
  Softplus = 19,
  Erf = 20,
};
// Codes 0 … 20: what a table indexed by UnaryOp holds.
constexpr int32_t kUnaryOpCount = 21;

enum class BinaryOp : int32_t {
  Add = 0,
  Sub = 1,
  Mul = 2,
  Div = 3,
  Pow = 4,
  Maximum = 5,
  Minimum = 6,
  Mod = 7,
  FloorDiv = 8,
  Equal = 9,
  NotEqual = 10,
  Less = 11,
  LessEqual = 12,
  Greater = 13,
  GreaterEqual = 14,
  Atan2 = 15,
};
// Codes 0 … 15: what a table indexed by BinaryOp holds.
constexpr int32_t kBinaryOpCount = 16;

enum class ReduceOp : int32_t {
  Sum = 0,
  Prod = 1,
  Max = 2,
  Min = 3,
  ArgMax = 4,
  ArgMin = 5,
};
// Codes 0 … 5: what a table indexed by ReduceOp holds.
constexpr int32_t kReduceOpCount = 6;

enum class DTypeCode : int32_t {
  Float32 = 0,
  Int32 = 1,
  Bool = 2,
};
// Codes 0 … 2: what a table indexed by DTypeCode holds.
constexpr int32_t kDTypeCodeCount = 3;

enum class ActivationOp : int32_t {
  Relu = 0,
  Sigmoid = 1,
  Tanh = 2,
};
// Codes 0 … 2: what a table indexed by ActivationOp holds.
constexpr int32_t kActivationOpCount = 3;

enum class BiasActivationOp : int32_t {
  Linear = 0,
  Relu = 1,
  Sigmoid = 2,
  Tanh = 3,
};
// Codes 0 … 3: what a table indexed by BiasActivationOp holds.
constexpr int32_t kBiasActivationOpCount = 4;

enum class RowOp : int32_t {
  Softmax = 0,
  SoftmaxGrad = 1,
  CrossEntropy = 2,
  CrossEntropyGrad = 3,
  SparseCrossEntropy = 4,
  SparseCrossEntropyGrad = 5,
};
// Codes 0 … 5: what a table indexed by RowOp holds.
constexpr int32_t kRowOpCount = 6;

enum class AdamPass : int32_t {
  Moments = 0,
  Step = 1,
};
// Codes 0 … 1: what a table indexed by AdamPass holds.
constexpr int32_t kAdamPassCount = 2;

constexpr bool isComparison(BinaryOp op) {
  return op == BinaryOp::Equal ||
         op == BinaryOp::NotEqual ||
         op == BinaryOp::Less ||
         op == BinaryOp::LessEqual ||
         op == BinaryOp::Greater ||
         op == BinaryOp::GreaterEqual;
}

// The addon returns it from opCodesFingerprint(); loadAddon refuses a build of other codes.
constexpr uint32_t kOpCodesFingerprint = 0x5a15291du;

}  // namespace deepts
