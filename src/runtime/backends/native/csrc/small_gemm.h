// Products with one short side, for the convolutions of small patches (see small_gemm.cc).
#pragma once

namespace deepts {

// Whether this CPU runs smallGemm (AVX2 and FMA); without them the callers use BLAS.
bool smallGemmAvailable();

// C = A·B for a short inner size k (a tiny convolution patch), all row-major: A m×k (row stride
// lda), B k×n (ldb), C m×n (ldc). Only where smallGemmAvailable().
void smallGemm(int m, int n, int k, const float* A, int lda, const float* B, int ldb, float* C, int ldc);

}  // namespace deepts
