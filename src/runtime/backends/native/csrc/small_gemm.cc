// smallGemm: a product with a short inner size k, as the forward convolution of a tiny patch has
// (MNIST's first layer: 32 outputs of 9-long inner products per pixel). OpenBLAS packs and loops in
// tiles built for long inner products and runs such shapes at a small fraction of the peak; here a
// few rows of C stay in registers (up to four 8-wide ones per row) while the k terms are added
// with FMAs, from a copy of B's columns padded to 32. Compiled for AVX2 + FMA only (the addon is built for any x86-64: the caller checks
// smallGemmAvailable() at run time and uses BLAS otherwise).
#include "small_gemm.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define DEEPTS_SMALL_GEMM 1
#endif

namespace deepts {

#ifdef DEEPTS_SMALL_GEMM

bool smallGemmAvailable() {
  static const bool available = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return available;
}

namespace {

const int BLOCK = 32;  // columns of C per pass: four 8-float registers

// ROWS rows of C from row i, columns j0 .. j0 + 8·VECTORS (width of them stored), from Bp: k rows
// of 32 floats. Several rows at once keep enough independent FMA chains in flight.
template <int ROWS, int VECTORS>
__attribute__((target("avx2,fma"))) inline void rows(int k, const float* A, int lda, const float* Bp, float* C,
                                                     int ldc, int width) {
  __m256 c[ROWS][VECTORS];
  #pragma GCC unroll 8
  for (int r = 0; r < ROWS; r++)
    #pragma GCC unroll 8
    for (int v = 0; v < VECTORS; v++) c[r][v] = _mm256_setzero_ps();
  for (int p = 0; p < k; p++) {
    const float* b = Bp + (size_t)p * BLOCK;
    __m256 bv[VECTORS];
    #pragma GCC unroll 8
    for (int v = 0; v < VECTORS; v++) bv[v] = _mm256_load_ps(b + 8 * v);
    #pragma GCC unroll 8
    for (int r = 0; r < ROWS; r++) {
      const __m256 a = _mm256_broadcast_ss(A + (size_t)r * lda + p);
      #pragma GCC unroll 8
      for (int v = 0; v < VECTORS; v++) c[r][v] = _mm256_fmadd_ps(a, bv[v], c[r][v]);
    }
  }
  #pragma GCC unroll 8
  for (int r = 0; r < ROWS; r++) {
    float* out = C + (size_t)r * ldc;
    if (width == 8 * VECTORS) {
      #pragma GCC unroll 8
      for (int v = 0; v < VECTORS; v++) _mm256_storeu_ps(out + 8 * v, c[r][v]);
    } else {
      alignas(32) float tail[BLOCK];
      #pragma GCC unroll 8
      for (int v = 0; v < VECTORS; v++) _mm256_store_ps(tail + 8 * v, c[r][v]);
      for (int j = 0; j < width; j++) out[j] = tail[j];
    }
  }
}

// Every row of C, columns j0 .. j0 + width.
template <int VECTORS>
__attribute__((target("avx2,fma"))) void rowsBlock(int m, int k, const float* A, int lda, const float* Bp, float* C,
                                                   int ldc, int width) {
  constexpr int ROWS = VECTORS == 1 ? 8 : VECTORS == 2 ? 4 : 2;
  int i = 0;
  for (; i + ROWS <= m; i += ROWS) rows<ROWS, VECTORS>(k, A + (size_t)i * lda, lda, Bp, C + (size_t)i * ldc, ldc, width);
  for (; i < m; i++) rows<1, VECTORS>(k, A + (size_t)i * lda, lda, Bp, C + (size_t)i * ldc, ldc, width);
}

}  // namespace

void smallGemm(int m, int n, int k, const float* A, int lda, const float* B, int ldb, float* C, int ldc) {
  // B's columns j0 .. j0 + 32, zero-padded, 32-byte aligned: k rows of BLOCK floats.
  std::vector<float> padded((size_t)k * BLOCK + 8);
  float* Bp = reinterpret_cast<float*>((reinterpret_cast<uintptr_t>(padded.data()) + 31) & ~uintptr_t(31));
  for (int j0 = 0; j0 < n; j0 += BLOCK) {
    const int width = std::min(BLOCK, n - j0);
    for (int p = 0; p < k; p++) {
      float* row = Bp + (size_t)p * BLOCK;
      for (int j = 0; j < BLOCK; j++) row[j] = j < width ? B[(size_t)p * ldb + j0 + j] : 0.0f;
    }
    switch ((width + 7) / 8) {
      case 1: rowsBlock<1>(m, k, A, lda, Bp, C + j0, ldc, width); break;
      case 2: rowsBlock<2>(m, k, A, lda, Bp, C + j0, ldc, width); break;
      case 3: rowsBlock<3>(m, k, A, lda, Bp, C + j0, ldc, width); break;
      default: rowsBlock<4>(m, k, A, lda, Bp, C + j0, ldc, width); break;
    }
  }
}

#else

bool smallGemmAvailable() { return false; }

void smallGemm(int, int, int, const float*, int, const float*, int, float*, int) {}

#endif

}  // namespace deepts
