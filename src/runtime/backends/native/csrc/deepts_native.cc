// deepts native kernels: a Node-API addon (plain node_api.h) over OpenBLAS's cblas_sgemm.
//
// Every exported function has the form fn(params: Int32Array, ...arrays) and writes into an output
// typed array the caller allocated; it returns nothing. `params` carries the operation code, sizes,
// geometry and strides (the TypeScript side in src/runtime/backends/native/ builds it and documents
// each layout). Operation codes are the enums of op_codes.h, generated from ../op-codes.ts.
// Matrix products and convolutions (im2col / col2im around one sgemm per chunk) use BLAS; everything else
// is a plain loop the compiler vectorizes.
#include <node_api.h>
#include <pthread.h>
#include <cblas.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "op_codes.h"
#include "small_gemm.h"

// peak.cc: the measured FMA peak, for the benchmark.
napi_value FmaPeak(napi_env env, napi_callback_info info);

namespace {

using namespace deepts;

typedef int64_t i64;

struct Args {
  napi_env env;
  size_t argc = 0;
  napi_value argv[8];
  bool ok = true;
};

bool throwError(napi_env env, const char* message) {
  napi_throw_error(env, nullptr, message);
  return false;
}

bool readArgs(napi_env env, napi_callback_info info, Args& a, size_t expected) {
  a.env = env;
  a.argc = 8;
  if (napi_get_cb_info(env, info, &a.argc, a.argv, nullptr, nullptr) != napi_ok) return throwError(env, "bad call");
  if (a.argc < expected) return throwError(env, "deepts native: too few arguments");
  return true;
}

// The data pointer and element count of typed-array argument i.
void* arrayArg(Args& a, size_t i, size_t* length = nullptr) {
  bool isTyped = false;
  napi_is_typedarray(a.env, a.argv[i], &isTyped);
  if (!isTyped) {
    a.ok = throwError(a.env, "deepts native: expected a typed array argument");
    return nullptr;
  }
  napi_typedarray_type type;
  size_t n = 0;
  void* data = nullptr;
  napi_value buffer;
  size_t offset = 0;
  napi_get_typedarray_info(a.env, a.argv[i], &type, &n, &data, &buffer, &offset);
  if (length) *length = n;
  return data;
}

// Scratch memory reused across calls (im2col columns, sums); grows, never shrinks below use.
std::vector<float>& scratch() {
  static std::vector<float> buffer;
  return buffer;
}

float* scratchFloats(size_t n) {
  std::vector<float>& s = scratch();
  if (s.size() < n) s.resize(n);
  return s.data();
}

// Entry points of the form fn(params: Int32Array, a: Float32Array, …): reads the params and `count`
// float arrays (inputs first, the output last) and calls body(params, arrays).
template <typename Body>
napi_value withFloatArrays(napi_env env, napi_callback_info info, size_t count, Body body) {
  Args a;
  if (!readArgs(env, info, a, 1 + count)) return nullptr;
  const int32_t* p = static_cast<const int32_t*>(arrayArg(a, 0));
  float* arrays[4] = {nullptr, nullptr, nullptr, nullptr};
  for (size_t i = 0; i < count && i < 4; i++) arrays[i] = static_cast<float*>(arrayArg(a, 1 + i));
  if (!a.ok) return nullptr;
  body(p, arrays);
  return nullptr;
}

// ------------------------------------------------------------------ matmul

// Threads for BLAS calls: all of them (OPENBLAS_NUM_THREADS or the cores, or what setThreads chose)
// for large products; one for products under SMALL_GEMM multiply-adds, where waking and joining
// a second thread costs more than it saves (and stalls badly when the cores are busy).
// The count changes only when a product needs another one (OpenBLAS starts threads on the way up).
// 8M: an MNIST MLP's 128×784×128 layer (12.8M) gains from two threads (predict +35% on 2 cores),
// a recurrent step's 64×128×128 (1M) loses 20%.
int maxThreads = 0;
int currentThreads = 0;
const double SMALL_GEMM = 8.0 * 1024 * 1024;

void initThreads() {
  if (currentThreads == 0) currentThreads = openblas_get_num_threads();
  if (maxThreads == 0) maxThreads = currentThreads;
}

// Interrupts. The host shares an int32 flag (setInterruptFlag) that becomes non-zero when the user
// interrupts; long work checks it between blocks, stops, and the call throws an Error whose code is
// "DEEPTS_INTERRUPTED" (see Guarded). A call into the addon cannot be stopped from outside: without
// these checks one large product would keep the thread busy for as long as it takes.
thread_local const int32_t* interruptFlag = nullptr;
thread_local napi_ref interruptFlagRef = nullptr;
// Set when work stopped early for an interrupt; read and cleared by Guarded.
thread_local bool interrupted = false;

// Whether to stop now (and remember that the current call stopped early).
bool stopForInterrupt() {
  if (!interrupted && interruptFlag && __atomic_load_n(interruptFlag, __ATOMIC_RELAXED) != 0) interrupted = true;
  return interrupted;
}

// Products of more multiply-adds than this run as several sgemm calls on row (or column) blocks,
// with an interrupt check between them (2^31 multiply-adds: about 0.05 s at 100 GFLOP/s, 0.25 s at
// 16); a block keeps at least MIN_BLOCK_ROWS rows so that BLAS stays efficient.
const double BLOCK_GEMM = 2048.0 * 1024 * 1024;
const int MIN_BLOCK_ROWS = 128;

void sgemmCall(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, const float* A, int lda, const float* B,
               int ldb, float beta, float* C, int ldc) {
  const int wanted = (double)m * n * k < SMALL_GEMM ? 1 : maxThreads;
  if (wanted != currentThreads) {
    openblas_set_num_threads(wanted);
    currentThreads = wanted;
  }
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, A, lda, B, ldb, beta, C, ldc);
}

// C = op(A)·op(B) + beta·C (row-major), in blocks of C's rows or columns when the product is large.
void sgemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, const float* A, int lda, const float* B,
           int ldb, float beta, float* C, int ldc) {
  initThreads();
  if (stopForInterrupt()) return;
  const double work = (double)m * n * k;
  if (work <= BLOCK_GEMM || std::max(m, n) < 2 * MIN_BLOCK_ROWS) {
    sgemmCall(ta, tb, m, n, k, A, lda, B, ldb, beta, C, ldc);
    return;
  }
  const bool byRows = m >= n;
  const int extent = byRows ? m : n;
  const double perLine = work / extent;
  const int step = std::max(MIN_BLOCK_ROWS, (int)std::min<double>(extent, BLOCK_GEMM / perLine));
  for (int start = 0; start < extent; start += step) {
    if (start > 0 && stopForInterrupt()) return;
    const int size = std::min(step, extent - start);
    if (byRows) {
      // Rows start..start+size of op(A) and of C.
      const float* a = ta == CblasNoTrans ? A + (size_t)start * lda : A + start;
      sgemmCall(ta, tb, size, n, k, a, lda, B, ldb, beta, C + (size_t)start * ldc, ldc);
    } else {
      // Columns start..start+size of op(B) and of C.
      const float* b = tb == CblasNoTrans ? B + start : B + (size_t)start * ldb;
      sgemmCall(ta, tb, m, size, k, A, lda, b, ldb, beta, C + start, ldc);
    }
  }
}

// params: [batch, m, n, k, transposeA, transposeB, aBatched, bBatched]
napi_value MatMul(napi_env env, napi_callback_info info) {
  return withFloatArrays(env, info, 3, [](const int32_t* p, float* const* f) {
    const float *A = f[0], *B = f[1];
    float* C = f[2];
    const int batch = p[0], m = p[1], n = p[2], k = p[3];
    const bool ta = p[4] != 0, tb = p[5] != 0, aBatched = p[6] != 0, bBatched = p[7] != 0;
    if (m == 0 || n == 0 || batch == 0) return;
    if (k == 0) {
      std::memset(C, 0, sizeof(float) * (size_t)batch * m * n);
      return;
    }
    const int lda = ta ? m : k, ldb = tb ? k : n;
    const CBLAS_TRANSPOSE opA = ta ? CblasTrans : CblasNoTrans, opB = tb ? CblasTrans : CblasNoTrans;
    // A shared right operand and an untransposed batched left one: the batch is just more rows.
    if (!bBatched && !ta && batch > 1 && aBatched) {
      sgemm(opA, opB, batch * m, n, k, A, lda, B, ldb, 0.0f, C, n);
      return;
    }
    const size_t aStride = aBatched ? (size_t)m * k : 0, bStride = bBatched ? (size_t)k * n : 0;
    for (int i = 0; i < batch && !interrupted; i++) {
      sgemm(opA, opB, m, n, k, A + i * aStride, lda, B + i * bStride, ldb, 0.0f, C + (size_t)i * m * n, n);
    }
  });
}

// ------------------------------------------------------------------ convolution

// params: [batch, inH, inW, inC, outH, outW, outC, fh, fw, strideH, strideW, dilH, dilW, padTop, padLeft]
struct ConvGeom {
  int batch, inH, inW, inC, outH, outW, outC, fh, fw, sh, sw, dh, dw, pt, pl;
  explicit ConvGeom(const int32_t* p)
      : batch(p[0]), inH(p[1]), inW(p[2]), inC(p[3]), outH(p[4]), outW(p[5]), outC(p[6]), fh(p[7]), fw(p[8]),
        sh(p[9]), sw(p[10]), dh(p[11]), dw(p[12]), pt(p[13]), pl(p[14]) {}
  size_t pixels() const { return (size_t)outH * outW; }
  size_t patch() const { return (size_t)fh * fw * inC; }
  // A 1x1 window over every pixel: the input already is the column matrix.
  bool isPointwise() const {
    return fh == 1 && fw == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0 && outH == inH && outW == inW;
  }
};

// Calls op(n) for a run of n values, with n a compile-time constant (std::integral_constant) when
// it is below 16: the loops of op then unroll into a few moves. im2col and col2im copy one such run
// per output pixel and filter row (fw·inC values: 3 for MNIST's first layer), where a loop of
// unknown length cost more than the copy itself.
template <typename Op>
inline void forRunOf(int n, Op op) {
  switch (n) {
#define DEEPTS_RUN(N)                     \
  case N:                                 \
    op(std::integral_constant<int, N>()); \
    return;
    DEEPTS_RUN(1) DEEPTS_RUN(2) DEEPTS_RUN(3) DEEPTS_RUN(4) DEEPTS_RUN(5) DEEPTS_RUN(6) DEEPTS_RUN(7) DEEPTS_RUN(8)
    DEEPTS_RUN(9) DEEPTS_RUN(10) DEEPTS_RUN(11) DEEPTS_RUN(12) DEEPTS_RUN(13) DEEPTS_RUN(14) DEEPTS_RUN(15)
#undef DEEPTS_RUN
    default:
      op(n);
  }
}

// The output columns [first, last) whose filter row lies wholly inside the input row: with
// dilation 1 each reads one contiguous run of fw·inC values.
struct InsideColumns {
  int first, last;
  explicit InsideColumns(const ConvGeom& g) {
    first = std::min(g.outW, (g.pl + g.sw - 1) / g.sw);
    const int room = g.inW - (g.fw - 1) * g.dw - 1 + g.pl;  // the last ox·sw that fits
    last = room < 0 ? first : std::max(first, std::min(g.outW, room / g.sw + 1));
  }
};

// op(fx, ix) for the taps of one filter row at output column ox (ix may lie in the padding).
template <typename Op>
inline void forTaps(const ConvGeom& g, int ox, Op op) {
  for (int fx = 0; fx < g.fw; fx++) op(fx, ox * g.sw - g.pl + fx * g.dw);
}

// cols[(img, oy, ox), (fy, fx, c)] = x[img, iy, ix, c] (0 where the tap reads padding). Walks one
// filter row (fy) across a whole output row at a time, so the copies of the columns inside the
// input are one tight loop.
void im2col(const ConvGeom& g, const float* x, int images, float* cols) {
  const size_t patch = g.patch();
  const int run = g.fw * g.inC;
  const InsideColumns inside(g);
  const bool contiguous = g.dw == 1;
  for (int img = 0; img < images; img++) {
    const float* xi = x + (size_t)img * g.inH * g.inW * g.inC;
    for (int oy = 0; oy < g.outH; oy++) {
      float* outRow = cols + ((size_t)img * g.outH + oy) * g.outW * patch;
      for (int fy = 0; fy < g.fh; fy++) {
        const int iy = oy * g.sh - g.pt + fy * g.dh;
        float* dst0 = outRow + (size_t)fy * run;
        if (iy < 0 || iy >= g.inH) {
          for (int ox = 0; ox < g.outW; ox++) std::memset(dst0 + ox * patch, 0, sizeof(float) * run);
          continue;
        }
        const float* src = xi + (size_t)iy * g.inW * g.inC;
        // One tap at a time (zeros on padding): the columns at the edges, and all with dilation.
        const auto taps = [&](int ox) {
          float* dst = dst0 + ox * patch;
          forTaps(g, ox, [&](int fx, int ix) {
            float* d = dst + (size_t)fx * g.inC;
            if (ix < 0 || ix >= g.inW) {
              for (int c = 0; c < g.inC; c++) d[c] = 0.0f;
            } else {
              const float* s = src + (size_t)ix * g.inC;
              for (int c = 0; c < g.inC; c++) d[c] = s[c];
            }
          });
        };
        for (int ox = 0; ox < inside.first; ox++) taps(ox);
        if (contiguous) {
          forRunOf(run, [&](auto n) {
            for (int ox = inside.first; ox < inside.last; ox++) {
              const float* s = src + (size_t)(ox * g.sw - g.pl) * g.inC;
              float* d = dst0 + ox * patch;
              for (int j = 0; j < n; j++) d[j] = s[j];
            }
          });
        } else {
          for (int ox = inside.first; ox < inside.last; ox++) taps(ox);
        }
        for (int ox = inside.last; ox < g.outW; ox++) taps(ox);
      }
    }
  }
}

// dx[img, iy, ix, c] += cols[(img, oy, ox), (fy, fx, c)]: the adjoint of im2col, walked the same way.
void col2im(const ConvGeom& g, const float* cols, int images, float* dx) {
  const size_t patch = g.patch();
  const int run = g.fw * g.inC;
  const InsideColumns inside(g);
  const bool contiguous = g.dw == 1;
  for (int img = 0; img < images; img++) {
    float* xi = dx + (size_t)img * g.inH * g.inW * g.inC;
    for (int oy = 0; oy < g.outH; oy++) {
      const float* inRow = cols + ((size_t)img * g.outH + oy) * g.outW * patch;
      for (int fy = 0; fy < g.fh; fy++) {
        const int iy = oy * g.sh - g.pt + fy * g.dh;
        if (iy < 0 || iy >= g.inH) continue;
        const float* src0 = inRow + (size_t)fy * run;
        float* dstRow = xi + (size_t)iy * g.inW * g.inC;
        const auto taps = [&](int ox) {
          const float* src = src0 + ox * patch;
          forTaps(g, ox, [&](int fx, int ix) {
            if (ix < 0 || ix >= g.inW) return;
            const float* s = src + (size_t)fx * g.inC;
            float* d = dstRow + (size_t)ix * g.inC;
            for (int c = 0; c < g.inC; c++) d[c] += s[c];
          });
        };
        for (int ox = 0; ox < inside.first; ox++) taps(ox);
        if (contiguous) {
          forRunOf(run, [&](auto n) {
            for (int ox = inside.first; ox < inside.last; ox++) {
              const float* s = src0 + ox * patch;
              float* d = dstRow + (size_t)(ox * g.sw - g.pl) * g.inC;
              for (int j = 0; j < n; j++) d[j] += s[j];
            }
          });
        } else {
          for (int ox = inside.first; ox < inside.last; ox++) taps(ox);
        }
        for (int ox = inside.last; ox < g.outW; ox++) taps(ox);
      }
    }
  }
}

// Convolutions run as chunks of images: im2col (or col2im) and one sgemm per chunk.
// Large convolutions split the batch into chunks whose columns stay in a core's cache
// (CACHE_COLUMNS floats) and run them on maxThreads threads at once, each with a one-thread sgemm
// on its own images: this beats one two-thread sgemm per chunk, and runs im2col in parallel too.
// Smaller ones (under PARALLEL_CONV multiply-adds, where starting a thread costs more than it
// saves), or ones with fewer chunks than threads, run their chunks one after the other, each
// with a sgemm that picks its own threads.
const size_t CACHE_COLUMNS = size_t(1) << 19;
const size_t SERIAL_COLUMNS = size_t(8) << 20;
const double PARALLEL_CONV = 4.0 * 1024 * 1024;

struct ChunkPlan {
  int images;   // per chunk
  int workers;  // threads running chunks at once; 1: one after the other
};

ChunkPlan planChunks(const ConvGeom& g) {
  initThreads();
  const size_t perImage = g.pixels() * g.patch();
  const int batch = std::max(g.batch, 1);
  if (perImage == 0) return {batch, 1};
  const auto imagesWithin = [&](size_t floats) {
    return (int)std::max<size_t>(1, std::min<size_t>(floats / perImage, (size_t)batch));
  };
  const double work = (double)g.batch * perImage * g.outC;
  const int workers = std::min(maxThreads, batch);
  if (workers < 2 || work < PARALLEL_CONV) return {imagesWithin(SERIAL_COLUMNS), 1};
  // At least one chunk per worker.
  return {std::min(imagesWithin(CACHE_COLUMNS), (batch + workers - 1) / workers), workers};
}

// C = op(A)·op(B) + beta·C for one chunk: on a chunk worker, BLAS on this thread only (the plan
// set OpenBLAS to one thread; calls from several threads at once are safe then); otherwise sgemm.
void chunkGemm(bool onWorker, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, const float* A, int lda,
               const float* B, int ldb, float beta, float* C, int ldc) {
  if (onWorker) {
    cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, A, lda, B, ldb, beta, C, ldc);
  } else {
    sgemm(ta, tb, m, n, k, A, lda, B, ldb, beta, C, ldc);
  }
}

// Patches of at most this many values (fh·fw·inC) run their forward product through smallGemm
// where the CPU has it: BLAS is slow at such short inner products (MNIST's first layer, 9 long:
// 27 against 62 GFLOP/s on one core here). For the input gradient (9 outputs of 32-long inner
// products) smallGemm was no faster than BLAS, so that stays BLAS.
const size_t SMALL_PATCH = 32;

bool usesSmallGemm(const ConvGeom& g) { return g.patch() <= SMALL_PATCH && smallGemmAvailable(); }

// Calls body(chunk, firstImage, images, cols) for each chunk of images (chunk = firstImage /
// plan.images), with an im2col buffer of the plan's chunk size per thread. plan.workers threads
// (the calling one among them) take the next chunk as they finish one, so a thread the system
// holds back leaves its share to the others; each stops taking chunks once the interrupt flag is
// raised.
template <typename Body>
void forEachChunk(const ConvGeom& g, const ChunkPlan& plan, Body body) {
  const size_t colsFloats = (size_t)plan.images * g.pixels() * g.patch();
  // Each thread's columns start on their own 64-byte line.
  const size_t stride = (colsFloats + 15) / 16 * 16;
  float* base = scratchFloats(stride * plan.workers + 16);
  base = reinterpret_cast<float*>((reinterpret_cast<uintptr_t>(base) + 63) & ~uintptr_t(63));
  if (plan.workers == 1) {
    for (int img = 0; img < g.batch && !stopForInterrupt(); img += plan.images)
      body(img / plan.images, img, std::min(plan.images, g.batch - img), base);
    return;
  }
  if (currentThreads != 1) {
    openblas_set_num_threads(1);
    currentThreads = 1;
  }
  const int32_t* flag = interruptFlag;
  std::atomic<int> next{0};
  const auto work = [&](int worker) {
    float* cols = base + (size_t)worker * stride;
    for (;;) {
      if (flag && __atomic_load_n(flag, __ATOMIC_RELAXED) != 0) return;
      const int chunk = next.fetch_add(1);
      const int img = chunk * plan.images;
      if (img >= g.batch) return;
      body(chunk, img, std::min(plan.images, g.batch - img), cols);
    }
  };
  // pthreads rather than std::thread: the addon builds without exceptions, and a thread that
  // cannot start (a process at its thread limit) must not abort the kernel: the others (the
  // calling thread at least) take its chunks.
  struct Helper {
    const decltype(work)* run;
    int worker;
    pthread_t thread;
    bool started;
  };
  std::vector<Helper> helpers(plan.workers);
  for (int w = 1; w < plan.workers; w++) {
    Helper& h = helpers[w];
    h = {&work, w, pthread_t(), false};
    h.started = pthread_create(&h.thread, nullptr, [](void* arg) -> void* {
                  const Helper* self = static_cast<const Helper*>(arg);
                  (*self->run)(self->worker);
                  return nullptr;
                }, &h) == 0;
  }
  work(0);
  for (int w = 1; w < plan.workers; w++)
    if (helpers[w].started) pthread_join(helpers[w].thread, nullptr);
  stopForInterrupt();
}

// inputs: x [batch, inH, inW, inC], filter [fh, fw, inC, outC] → y [batch, outH, outW, outC]
napi_value Conv2D(napi_env env, napi_callback_info info) {
  return withFloatArrays(env, info, 3, [](const int32_t* p, float* const* f) {
    const ConvGeom g(p);
    const float *x = f[0], *w = f[1];
    float* y = f[2];
    const size_t P = g.pixels(), K = g.patch();
    const size_t total = (size_t)g.batch * P * g.outC;
    if (total == 0) return;
    if (K == 0) {
      std::memset(y, 0, sizeof(float) * total);
      return;
    }
    if (g.isPointwise()) {
      sgemm(CblasNoTrans, CblasNoTrans, g.batch * (int)P, g.outC, (int)K, x, (int)K, w, g.outC, 0.0f, y, g.outC);
      return;
    }
    const ChunkPlan plan = planChunks(g);
    const bool small = usesSmallGemm(g);
    forEachChunk(g, plan, [&](int, int img, int images, float* cols) {
      im2col(g, x + (size_t)img * g.inH * g.inW * g.inC, images, cols);
      if (small) {
        smallGemm(images * (int)P, g.outC, (int)K, cols, (int)K, w, g.outC, y + (size_t)img * P * g.outC, g.outC);
        return;
      }
      chunkGemm(plan.workers > 1, CblasNoTrans, CblasNoTrans, images * (int)P, g.outC, (int)K, cols, (int)K, w,
                g.outC, 0.0f, y + (size_t)img * P * g.outC, g.outC);
    });
  });
}

// inputs: dy [batch, outH, outW, outC], filter [fh, fw, inC, outC] → dx [batch, inH, inW, inC]
napi_value Conv2DBackpropInput(napi_env env, napi_callback_info info) {
  return withFloatArrays(env, info, 3, [](const int32_t* p, float* const* f) {
    const ConvGeom g(p);
    const float *dy = f[0], *w = f[1];
    float* dx = f[2];
    const size_t P = g.pixels(), K = g.patch();
    const size_t inSize = (size_t)g.batch * g.inH * g.inW * g.inC;
    if (inSize == 0) return;
    if (g.isPointwise() && g.outC > 0) {
      sgemm(CblasNoTrans, CblasTrans, g.batch * (int)P, (int)K, g.outC, dy, g.outC, w, g.outC, 0.0f, dx, (int)K);
      return;
    }
    std::memset(dx, 0, sizeof(float) * inSize);
    if (P == 0 || K == 0 || g.outC == 0) return;
    const ChunkPlan plan = planChunks(g);
    // Each chunk writes only its own images' dx.
    forEachChunk(g, plan, [&](int, int img, int images, float* cols) {
      const float* dyChunk = dy + (size_t)img * P * g.outC;
      chunkGemm(plan.workers > 1, CblasNoTrans, CblasTrans, images * (int)P, (int)K, g.outC, dyChunk, g.outC, w,
                g.outC, 0.0f, cols, (int)K);
      col2im(g, cols, images, dx + (size_t)img * g.inH * g.inW * g.inC);
    });
  });
}

// inputs: x [batch, inH, inW, inC], dy [batch, outH, outW, outC] → dw [fh, fw, inC, outC]
napi_value Conv2DBackpropFilter(napi_env env, napi_callback_info info) {
  return withFloatArrays(env, info, 3, [](const int32_t* p, float* const* f) {
    const ConvGeom g(p);
    const float *x = f[0], *dy = f[1];
    float* dw = f[2];
    const size_t P = g.pixels(), K = g.patch();
    const size_t wSize = K * g.outC;
    if (wSize == 0) return;
    std::memset(dw, 0, sizeof(float) * wSize);
    if (P == 0 || g.batch == 0) return;
    if (g.isPointwise()) {
      sgemm(CblasTrans, CblasNoTrans, (int)K, g.outC, g.batch * (int)P, x, (int)K, dy, g.outC, 0.0f, dw, g.outC);
      return;
    }
    const ChunkPlan plan = planChunks(g);
    if (plan.workers == 1) {
      forEachChunk(g, plan, [&](int, int img, int images, float* cols) {
        im2col(g, x + (size_t)img * g.inH * g.inW * g.inC, images, cols);
        chunkGemm(false, CblasTrans, CblasNoTrans, (int)K, g.outC, images * (int)P, cols, (int)K,
                  dy + (size_t)img * P * g.outC, g.outC, 1.0f, dw, g.outC);
      });
      return;
    }
    // On threads: each chunk's sum apart, added up in chunk order at the end, so that the rounding
    // does not depend on which thread took which chunk.
    const int chunks = (g.batch + plan.images - 1) / plan.images;
    std::unique_ptr<float[]> partials(new float[(size_t)chunks * wSize]);
    forEachChunk(g, plan, [&](int chunk, int img, int images, float* cols) {
      im2col(g, x + (size_t)img * g.inH * g.inW * g.inC, images, cols);
      chunkGemm(true, CblasTrans, CblasNoTrans, (int)K, g.outC, images * (int)P, cols, (int)K,
                dy + (size_t)img * P * g.outC, g.outC, 0.0f, partials.get() + (size_t)chunk * wSize, g.outC);
    });
    if (interrupted) return;
    for (int c = 0; c < chunks; c++) {
      const float* part = partials.get() + (size_t)c * wSize;
      for (size_t i = 0; i < wSize; i++) dw[i] += part[i];
    }
  });
}

// ------------------------------------------------------------------ pooling

// params: [batch, inH, inW, channels, outH, outW, fh, fw, strideH, strideW, padTop, padLeft]
struct PoolGeom {
  int batch, inH, inW, C, outH, outW, fh, fw, sh, sw, pt, pl;
  explicit PoolGeom(const int32_t* p)
      : batch(p[0]), inH(p[1]), inW(p[2]), C(p[3]), outH(p[4]), outW(p[5]), fh(p[6]), fw(p[7]), sh(p[8]), sw(p[9]),
        pt(p[10]), pl(p[11]) {}
};

// One output pixel's window: the input rows [y0, y1) and columns [x0, x1) it covers inside the image.
// (The pooling loops below are written out per kernel rather than passed as lambdas to one walker:
// GCC then vectorizes the channel loops worse, e.g. AvgPool runs ~25% slower.)
struct PoolWindow {
  int y0, y1, x0, x1;
  PoolWindow(const PoolGeom& g, int oy, int ox) {
    const int top = oy * g.sh - g.pt, left = ox * g.sw - g.pl;
    y0 = std::max(top, 0);
    y1 = std::min(top + g.fh, g.inH);
    x0 = std::max(left, 0);
    x1 = std::min(left + g.fw, g.inW);
  }
  int count() const { return std::max(y1 - y0, 0) * std::max(x1 - x0, 0); }
};

// Offset of pixel (n, y, x)'s C values in an [batch, h, w, C] array.
inline size_t pixelAt(int n, int y, int x, int h, int w, int C) { return (((size_t)n * h + y) * w + x) * C; }

// Reads (params, `count` float arrays) for the pooling kernels; false when an argument is bad.
bool poolArgs(napi_env env, napi_callback_info info, size_t count, const int32_t*& p, float** arrays) {
  Args a;
  if (!readArgs(env, info, a, 1 + count)) return false;
  p = static_cast<const int32_t*>(arrayArg(a, 0));
  for (size_t i = 0; i < count; i++) arrays[i] = static_cast<float*>(arrayArg(a, 1 + i));
  return a.ok;
}

napi_value MaxPool(napi_env env, napi_callback_info info) {
  const int32_t* p;
  float* f[2];
  if (!poolArgs(env, info, 2, p, f)) return nullptr;
  const PoolGeom g(p);
  const float* x = f[0];
  float* y = f[1];
  for (int n = 0; n < g.batch; n++) {
    for (int oy = 0; oy < g.outH; oy++) {
      for (int ox = 0; ox < g.outW; ox++) {
        const PoolWindow w(g, oy, ox);
        float* best = y + pixelAt(n, oy, ox, g.outH, g.outW, g.C);
        for (int c = 0; c < g.C; c++) best[c] = -INFINITY;
        for (int iy = w.y0; iy < w.y1; iy++) {
          for (int ix = w.x0; ix < w.x1; ix++) {
            const float* xp = x + pixelAt(n, iy, ix, g.inH, g.inW, g.C);
            for (int c = 0; c < g.C; c++) best[c] = xp[c] > best[c] ? xp[c] : best[c];
          }
        }
      }
    }
  }
  return nullptr;
}

// dy [batch, outH, outW, C], x [batch, inH, inW, C] → dx: each dy goes to the first maximum of its window.
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  const int32_t* p;
  float* f[3];
  if (!poolArgs(env, info, 3, p, f)) return nullptr;
  const PoolGeom g(p);
  const float *dy = f[0], *x = f[1];
  float* dx = f[2];
  std::memset(dx, 0, sizeof(float) * (size_t)g.batch * g.inH * g.inW * g.C);
  std::vector<float> bestValue(g.C);
  std::vector<i64> bestIndex(g.C);
  for (int n = 0; n < g.batch; n++) {
    for (int oy = 0; oy < g.outH; oy++) {
      for (int ox = 0; ox < g.outW; ox++) {
        const PoolWindow w(g, oy, ox);
        std::fill(bestIndex.begin(), bestIndex.end(), -1);
        for (int iy = w.y0; iy < w.y1; iy++) {
          for (int ix = w.x0; ix < w.x1; ix++) {
            const i64 base = (i64)pixelAt(n, iy, ix, g.inH, g.inW, g.C);
            for (int c = 0; c < g.C; c++) {
              const float v = x[base + c];
              if (bestIndex[c] < 0 || v > bestValue[c]) {
                bestValue[c] = v;
                bestIndex[c] = base + c;
              }
            }
          }
        }
        const float* d = dy + pixelAt(n, oy, ox, g.outH, g.outW, g.C);
        for (int c = 0; c < g.C; c++) {
          if (bestIndex[c] >= 0) dx[bestIndex[c]] += d[c];
        }
      }
    }
  }
  return nullptr;
}

// Windows average over their taps inside the image (0 for a window wholly in the padding).
napi_value AvgPool(napi_env env, napi_callback_info info) {
  const int32_t* p;
  float* f[2];
  if (!poolArgs(env, info, 2, p, f)) return nullptr;
  const PoolGeom g(p);
  const float* x = f[0];
  float* y = f[1];
  std::vector<double> sum(g.C);
  for (int n = 0; n < g.batch; n++) {
    for (int oy = 0; oy < g.outH; oy++) {
      for (int ox = 0; ox < g.outW; ox++) {
        const PoolWindow w(g, oy, ox);
        std::fill(sum.begin(), sum.end(), 0.0);
        for (int iy = w.y0; iy < w.y1; iy++) {
          for (int ix = w.x0; ix < w.x1; ix++) {
            const float* xp = x + pixelAt(n, iy, ix, g.inH, g.inW, g.C);
            for (int c = 0; c < g.C; c++) sum[c] += xp[c];
          }
        }
        const int count = w.count();
        float* out = y + pixelAt(n, oy, ox, g.outH, g.outW, g.C);
        for (int c = 0; c < g.C; c++) out[c] = count > 0 ? (float)(sum[c] / count) : 0.0f;
      }
    }
  }
  return nullptr;
}

napi_value AvgPoolGrad(napi_env env, napi_callback_info info) {
  const int32_t* p;
  float* f[2];
  if (!poolArgs(env, info, 2, p, f)) return nullptr;
  const PoolGeom g(p);
  const float* dy = f[0];
  float* dx = f[1];
  std::memset(dx, 0, sizeof(float) * (size_t)g.batch * g.inH * g.inW * g.C);
  for (int n = 0; n < g.batch; n++) {
    for (int oy = 0; oy < g.outH; oy++) {
      for (int ox = 0; ox < g.outW; ox++) {
        const PoolWindow w(g, oy, ox);
        if (w.count() <= 0) continue;
        const float scale = 1.0f / (float)w.count();
        const float* d = dy + pixelAt(n, oy, ox, g.outH, g.outW, g.C);
        for (int iy = w.y0; iy < w.y1; iy++) {
          for (int ix = w.x0; ix < w.x1; ix++) {
            float* o = dx + pixelAt(n, iy, ix, g.inH, g.inW, g.C);
            for (int c = 0; c < g.C; c++) o[c] += d[c] * scale;
          }
        }
      }
    }
  }
  return nullptr;
}

// ------------------------------------------------------------------ elementwise

// e^v in float32 without a libm call or a branch, so loops over it vectorize: v = n·ln2 + r with
// |r| ≤ ln2/2, e^r from a degree-7 polynomial (Cephes' expf coefficients, ~1 ulp), times 2^n built
// in the exponent bits. Saturates to 0 / +inf outside float's range; NaN stays NaN.
inline float fastExp(float v) {
  const float hi = 88.7228391f, lo = -103.972084f;
  float x0 = v < lo ? lo : v;
  x0 = x0 > hi ? hi : x0;
  // Round to nearest with the 1.5·2^23 trick (no rounding instruction needed, no branches).
  const float t = x0 * 1.44269504088896341f;
  const float nf = (t + 12582912.0f) - 12582912.0f;
  float r = x0 - nf * 0.693359375f;
  r = r - nf * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  // 2^n as two normal factors (n is in [-150, 128]).
  const int32_t n = (int32_t)nf;
  const int32_t n1 = n >> 1, n2 = n - n1;
  float s1, s2;
  const int32_t b1 = (n1 + 127) << 23, b2 = (n2 + 127) << 23;
  std::memcpy(&s1, &b1, 4);
  std::memcpy(&s2, &b2, 4);
  const float result = p * s1 * s2;
  const float saturated = v > hi ? INFINITY : result;
  return v != v ? v : saturated;
}

// tanh: an odd polynomial near 0 (Cephes' tanhf coefficients, keeps relative accuracy for small v),
// 1 - 2/(e^{2|v|} + 1) beyond.
inline float fastTanh(float v) {
  const float a = std::fabs(v);
  const float z = v * v;
  float p = -5.70498872745e-3f;
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  const float small = p * z * v + v;
  const float big = 1.0f - 2.0f / (fastExp(2.0f * a) + 1.0f);
  const float r = a < 0.625f ? small : (v < 0 ? -big : big);
  return v != v ? v : r;
}

inline float sigmoidf(float v) {
  // 1/(1 + e^-v) for v ≥ 0 and e^v/(1 + e^v) below, so e^(large) is never formed.
  const float e = fastExp(-std::fabs(v));
  const float r = v >= 0 ? 1.0f / (1.0f + e) : e / (1.0f + e);
  return r;
}

// The float32 function of each UnaryOp (op_codes.h). IsNaN, whose output is bool, is Unary's own loop.
template <UnaryOp Op>
inline float unaryOp(float v) {
  switch (Op) {
    case UnaryOp::Neg: return -v;
    case UnaryOp::Abs: return std::fabs(v);
    case UnaryOp::Exp: return fastExp(v);
    case UnaryOp::Expm1: return std::expm1(v);
    case UnaryOp::Log: return std::log(v);
    case UnaryOp::Log1p: return std::log1p(v);
    case UnaryOp::Sqrt: return std::sqrt(v);
    case UnaryOp::Rsqrt: return 1.0f / std::sqrt(v);
    case UnaryOp::Square: return v * v;
    case UnaryOp::Reciprocal: return 1.0f / v;
    case UnaryOp::Sign: return v > 0 ? 1.0f : v < 0 ? -1.0f : v;
    case UnaryOp::Floor: return std::floor(v);
    case UnaryOp::Ceil: return std::ceil(v);
    case UnaryOp::Round: return std::nearbyint(v);  // default rounding mode: ties to even
    case UnaryOp::Sin: return (float)std::sin((double)v);
    case UnaryOp::Cos: return (float)std::cos((double)v);
    case UnaryOp::Sigmoid: return sigmoidf(v);
    case UnaryOp::Tanh: return fastTanh(v);
    case UnaryOp::Relu: return v < 0 ? 0.0f : v;
    case UnaryOp::Softplus: return std::max(v, 0.0f) + std::log1p(fastExp(-std::fabs(v)));
    case UnaryOp::Erf: return std::erf(v);
    case UnaryOp::IsNaN: return v;  // not a float32 function: never instantiated
  }
  return v;
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
// Wider vectors where the CPU has them (the loader picks the clone once).
#define VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VECTOR_CLONES
#endif

template <UnaryOp Op>
VECTOR_CLONES void unaryLoop(const float* __restrict x, float* __restrict y, size_t n) {
  for (size_t i = 0; i < n; i++) y[i] = unaryOp<Op>(x[i]);
}

// The loops by op code: entry I is unaryLoop<UnaryOp(I)>, for every code 0 … kUnaryOpCount − 1.
typedef void (*UnaryFn)(const float*, float*, size_t);
template <size_t... I>
std::array<UnaryFn, sizeof...(I)> unaryTable(std::index_sequence<I...>) {
  return {{unaryLoop<static_cast<UnaryOp>(I)>...}};
}
const auto UNARY = unaryTable(std::make_index_sequence<kUnaryOpCount>());

// params: [op]; x, y float32 of the same length; for IsNaN y is a Uint8Array.
napi_value Unary(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 3)) return nullptr;
  const int32_t* p = static_cast<const int32_t*>(arrayArg(a, 0));
  size_t n = 0;
  const float* x = static_cast<const float*>(arrayArg(a, 1, &n));
  void* y = arrayArg(a, 2);
  if (!a.ok) return nullptr;
  const int op = p[0];
  if (op == static_cast<int>(UnaryOp::IsNaN)) {
    uint8_t* out = static_cast<uint8_t*>(y);
    for (size_t i = 0; i < n; i++) out[i] = x[i] != x[i];
    return nullptr;
  }
  if (op < 0 || op >= kUnaryOpCount) {
    throwError(env, "deepts native: unknown unary op");
    return nullptr;
  }
  UNARY[op](x, static_cast<float*>(y), n);
  return nullptr;
}

// The function of each BinaryOp (op_codes.h); comparisons (isComparison) give 0/1 bytes.
template <BinaryOp Op>
struct BinaryApply {
  typedef typename std::conditional<isComparison(Op), uint8_t, float>::type Out;
  static inline Out apply(float a, float b) {
    switch (Op) {
      case BinaryOp::Add: return a + b;
      case BinaryOp::Sub: return a - b;
      case BinaryOp::Mul: return a * b;
      case BinaryOp::Div: return a / b;
      case BinaryOp::Pow: return (float)std::pow((double)a, (double)b);
      case BinaryOp::Maximum: return (a > b || a != a) ? a : (b != b ? b : (a == b ? (std::signbit(a) ? b : a) : b));
      case BinaryOp::Minimum: return (a < b || a != a) ? a : (b != b ? b : (a == b ? (std::signbit(a) ? a : b) : b));
      case BinaryOp::Mod: {
        const double r = std::fmod((double)a, (double)b);
        return (float)(r != 0 && ((r < 0) != (b < 0)) ? r + b : r);
      }
      case BinaryOp::FloorDiv: return (float)std::floor((double)a / (double)b);
      case BinaryOp::Equal: return a == b;
      case BinaryOp::NotEqual: return a != b;
      case BinaryOp::Less: return a < b;
      case BinaryOp::LessEqual: return a <= b;
      case BinaryOp::Greater: return a > b;
      case BinaryOp::GreaterEqual: return a >= b;
      case BinaryOp::Atan2: return std::atan2(a, b);
    }
    return 0;
  }
};

// Walks an output of `rank` axes whose last axis is contiguous in the output; the inputs step by
// their own (broadcast) strides. `inner` runs one row.
template <typename Inner>
void walkRows(int rank, const int32_t* shape, const int32_t* const* strides, int numInputs, Inner inner) {
  i64 offsets[4] = {0, 0, 0, 0};
  int coord[16] = {0};
  const i64 rowLen = rank > 0 ? shape[rank - 1] : 1;
  for (int i = 0; i < rank; i++)
    if (shape[i] == 0) return;
  i64 outOffset = 0;
  for (;;) {
    inner(outOffset, offsets, rowLen);
    outOffset += rowLen;
    int axis = rank - 2;
    for (; axis >= 0; axis--) {
      coord[axis]++;
      for (int j = 0; j < numInputs; j++) offsets[j] += strides[j][axis];
      if (coord[axis] < shape[axis]) break;
      for (int j = 0; j < numInputs; j++) offsets[j] -= (i64)coord[axis] * strides[j][axis];
      coord[axis] = 0;
    }
    if (axis < 0) return;
  }
}

template <BinaryOp Op>
void binaryRun(int rank, const int32_t* shape, const int32_t* as, const int32_t* bs, const float* A, const float* B,
               void* Y) {
  typedef typename BinaryApply<Op>::Out Out;
  Out* y = static_cast<Out*>(Y);
  const int32_t* strides[2] = {as, bs};
  const int sa = rank > 0 ? as[rank - 1] : 0, sb = rank > 0 ? bs[rank - 1] : 0;
  walkRows(rank, shape, strides, 2, [&](i64 o, const i64* off, i64 len) {
    const float* a = A + off[0];
    const float* b = B + off[1];
    Out* out = y + o;
    if (sa == 1 && sb == 1) {
      for (i64 i = 0; i < len; i++) out[i] = BinaryApply<Op>::apply(a[i], b[i]);
    } else if (sa == 1 && sb == 0) {
      const float bv = b[0];
      for (i64 i = 0; i < len; i++) out[i] = BinaryApply<Op>::apply(a[i], bv);
    } else if (sa == 0 && sb == 1) {
      const float av = a[0];
      for (i64 i = 0; i < len; i++) out[i] = BinaryApply<Op>::apply(av, b[i]);
    } else {
      for (i64 i = 0; i < len; i++) out[i] = BinaryApply<Op>::apply(a[i * sa], b[i * sb]);
    }
  });
}

typedef void (*BinaryFn)(int, const int32_t*, const int32_t*, const int32_t*, const float*, const float*, void*);
template <size_t... I>
std::array<BinaryFn, sizeof...(I)> binaryTable(std::index_sequence<I...>) {
  return {{binaryRun<static_cast<BinaryOp>(I)>...}};
}
const auto BINARY = binaryTable(std::make_index_sequence<kBinaryOpCount>());

// params: [op, rank, shape[rank], aStrides[rank], bStrides[rank]] (strides 0 on broadcast axes)
napi_value Binary(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 4)) return nullptr;
  const int32_t* p = static_cast<const int32_t*>(arrayArg(a, 0));
  const float* A = static_cast<const float*>(arrayArg(a, 1));
  const float* B = static_cast<const float*>(arrayArg(a, 2));
  void* Y = arrayArg(a, 3);
  if (!a.ok) return nullptr;
  const int op = p[0], rank = p[1];
  if (op < 0 || op >= kBinaryOpCount || rank < 0 || rank > 16) {
    throwError(env, "deepts native: bad binary op or rank");
    return nullptr;
  }
  BINARY[op](rank, p + 2, p + 2 + rank, p + 2 + 2 * rank, A, B, Y);
  return nullptr;
}

// params: [elementBytes, rank, shape[rank], condStrides, aStrides, bStrides]; cond is 0/1 bytes.
template <typename T>
void selectRun(int rank, const int32_t* p, const uint8_t* cond, const T* A, const T* B, T* y) {
  const int32_t* shape = p;
  const int32_t* strides[3] = {p + rank, p + 2 * rank, p + 3 * rank};
  walkRows(rank, shape, strides, 3, [&](i64 o, const i64* off, i64 len) {
    const i64 sc = rank > 0 ? strides[0][rank - 1] : 0, sa = rank > 0 ? strides[1][rank - 1] : 0,
              sb = rank > 0 ? strides[2][rank - 1] : 0;
    const uint8_t* c = cond + off[0];
    const T* av = A + off[1];
    const T* bv = B + off[2];
    T* out = y + o;
    // Unit-stride rows, with either side possibly one repeated value (where(mask, dy, 0)), vectorize.
    if (sc == 1 && sa == 1 && sb == 1) {
      for (i64 i = 0; i < len; i++) out[i] = c[i] ? av[i] : bv[i];
    } else if (sc == 1 && sa == 1 && sb == 0) {
      const T b0 = bv[0];
      for (i64 i = 0; i < len; i++) out[i] = c[i] ? av[i] : b0;
    } else if (sc == 1 && sa == 0 && sb == 1) {
      const T a0 = av[0];
      for (i64 i = 0; i < len; i++) out[i] = c[i] ? a0 : bv[i];
    } else {
      for (i64 i = 0; i < len; i++) out[i] = c[i * sc] ? av[i * sa] : bv[i * sb];
    }
  });
}

napi_value Select(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 5)) return nullptr;
  const int32_t* p = static_cast<const int32_t*>(arrayArg(a, 0));
  const uint8_t* c = static_cast<const uint8_t*>(arrayArg(a, 1));
  const void* A = arrayArg(a, 2);
  const void* B = arrayArg(a, 3);
  void* Y = arrayArg(a, 4);
  if (!a.ok) return nullptr;
  const int bytes = p[0], rank = p[1];
  if (rank < 0 || rank > 16) return nullptr;
  if (bytes == 4) {
    selectRun(rank, p + 2, c, static_cast<const uint32_t*>(A), static_cast<const uint32_t*>(B),
              static_cast<uint32_t*>(Y));
  } else {
    selectRun(rank, p + 2, c, static_cast<const uint8_t*>(A), static_cast<const uint8_t*>(B),
              static_cast<uint8_t*>(Y));
  }
  return nullptr;
}

// ------------------------------------------------------------------ reductions

// params: [op, outer, size] (op a ReduceOp; y is int32 for ArgMax and ArgMin).
napi_value Reduce(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 3)) return nullptr;
  const int32_t* p = static_cast<const int32_t*>(arrayArg(a, 0));
  const float* x = static_cast<const float*>(arrayArg(a, 1));
  void* Y = arrayArg(a, 2);
  if (!a.ok) return nullptr;
  if (p[0] < 0 || p[0] >= kReduceOpCount) {
    throwError(env, "deepts native: unknown reduce op");
    return nullptr;
  }
  const ReduceOp op = static_cast<ReduceOp>(p[0]);
  const i64 outer = p[1], size = p[2];
  float* y = static_cast<float*>(Y);
  int32_t* yi = static_cast<int32_t*>(Y);
  for (i64 r = 0; r < outer; r++) {
    const float* row = x + r * size;
    switch (op) {
      case ReduceOp::Sum: {
        double acc = 0;
#pragma omp simd reduction(+ : acc)
        for (i64 j = 0; j < size; j++) acc += row[j];
        y[r] = (float)acc;
        break;
      }
      case ReduceOp::Prod: {
        double acc = 1;
        for (i64 j = 0; j < size; j++) acc *= row[j];
        y[r] = (float)acc;
        break;
      }
      case ReduceOp::Max:
      case ReduceOp::Min: {
        float acc = op == ReduceOp::Max ? -INFINITY : INFINITY;
        for (i64 j = 0; j < size; j++) {
          const float v = row[j];
          if (v != v) {
            acc = v;
            break;
          }
          acc = op == ReduceOp::Max ? (v > acc ? v : acc) : (v < acc ? v : acc);
        }
        y[r] = acc;
        break;
      }
      case ReduceOp::ArgMax:
      case ReduceOp::ArgMin: {
        i64 best = 0;
        float bestValue = NAN;
        for (i64 j = 0; j < size; j++) {
          const float v = row[j];
          const bool better = op == ReduceOp::ArgMax ? v > bestValue : v < bestValue;
          if (better || (bestValue != bestValue && v == v)) {
            best = j;
            bestValue = v;
          }
        }
        yi[r] = (int32_t)best;
        break;
      }
    }
  }
  return nullptr;
}

// ------------------------------------------------------------------ fused elementwise passes

// The arguments of a fused pass: (params typed array, a, b, out), float arrays with their lengths.
struct PassArgs {
  const void* params = nullptr;
  const float* a = nullptr;
  const float* b = nullptr;
  float* out = nullptr;
  size_t aLength = 0, bLength = 0, outLength = 0;
};

bool readPassArgs(napi_env env, napi_callback_info info, PassArgs& c) {
  Args a;
  if (!readArgs(env, info, a, 4)) return false;
  c.params = arrayArg(a, 0);
  c.a = static_cast<const float*>(arrayArg(a, 1, &c.aLength));
  c.b = static_cast<const float*>(arrayArg(a, 2, &c.bLength));
  c.out = static_cast<float*>(arrayArg(a, 3, &c.outLength));
  return a.ok;
}

// activation(x + bias), bias [C] along the last axis; params: [op, C] (a BiasActivationOp); (params, x, bias, y).
napi_value BiasActivation(napi_env env, napi_callback_info info) {
  PassArgs c;
  if (!readPassArgs(env, info, c)) return nullptr;
  const int32_t* p = static_cast<const int32_t*>(c.params);
  if (p[0] < 0 || p[0] >= kBiasActivationOpCount) {
    throwError(env, "deepts native: unknown activation");
    return nullptr;
  }
  const BiasActivationOp op = static_cast<BiasActivationOp>(p[0]);
  const size_t C = (size_t)p[1], n = c.aLength;
  if (C == 0 || c.bLength != C || c.outLength != n || n % C != 0) {
    throwError(env, "deepts native: biasActivation: bias must match the last axis of x");
    return nullptr;
  }
  const float *x = c.a, *bias = c.b;
  float* y = c.out;
  for (size_t base = 0; base < n; base += C) {
    const float* xr = x + base;
    float* yr = y + base;
    switch (op) {
      case BiasActivationOp::Linear:
        for (size_t j = 0; j < C; j++) yr[j] = xr[j] + bias[j];
        break;
      case BiasActivationOp::Relu:
        for (size_t j = 0; j < C; j++) {
          const float v = xr[j] + bias[j];
          yr[j] = v < 0 ? 0.0f : v;
        }
        break;
      case BiasActivationOp::Sigmoid:
        for (size_t j = 0; j < C; j++) yr[j] = sigmoidf(xr[j] + bias[j]);
        break;
      case BiasActivationOp::Tanh:
        for (size_t j = 0; j < C; j++) yr[j] = fastTanh(xr[j] + bias[j]);
        break;
    }
  }
  return nullptr;
}

// params: [op] (an ActivationOp): relu dy·[y > 0], sigmoid dy·y·(1 − y), tanh dy·(1 − y²); (params, y, dy, dx).
napi_value ActivationGrad(napi_env env, napi_callback_info info) {
  PassArgs c;
  if (!readPassArgs(env, info, c)) return nullptr;
  const int32_t* p = static_cast<const int32_t*>(c.params);
  const float *y = c.a, *dy = c.b;
  float* dx = c.out;
  const size_t n = c.aLength;
  if (c.bLength != n || c.outLength != n) {
    throwError(env, "deepts native: activationGrad: y, dy and dx differ in size");
    return nullptr;
  }
  if (p[0] < 0 || p[0] >= kActivationOpCount) {
    throwError(env, "deepts native: unknown activation");
    return nullptr;
  }
  switch (static_cast<ActivationOp>(p[0])) {
    case ActivationOp::Relu:
      for (size_t i = 0; i < n; i++) dx[i] = y[i] > 0.0f ? dy[i] : 0.0f;
      break;
    case ActivationOp::Sigmoid:
      for (size_t i = 0; i < n; i++) dx[i] = dy[i] * y[i] * (1.0f - y[i]);
      break;
    case ActivationOp::Tanh:
      for (size_t i = 0; i < n; i++) dx[i] = dy[i] * (1.0f - y[i] * y[i]);
      break;
  }
  return nullptr;
}

// ------------------------------------------------------------------ simple recurrence

// The arguments of RnnForward/RnnBackward: params [op, steps, batch, units] (op an ActivationOp),
// then four float arrays (three inputs and the output) checked against their sizes.
struct RecurrenceArgs {
  int op = 0;
  size_t steps = 0, batch = 0, units = 0;
  const float *a = nullptr, *b = nullptr, *c = nullptr;
  float* out = nullptr;
};

bool readRecurrenceArgs(napi_env env, napi_callback_info info, RecurrenceArgs& r, bool forward) {
  Args a;
  if (!readArgs(env, info, a, 5)) return false;
  size_t pn = 0, an = 0, bn = 0, cn = 0, on = 0;
  const int32_t* p = static_cast<const int32_t*>(arrayArg(a, 0, &pn));
  r.a = static_cast<const float*>(arrayArg(a, 1, &an));
  r.b = static_cast<const float*>(arrayArg(a, 2, &bn));
  r.c = static_cast<const float*>(arrayArg(a, 3, &cn));
  r.out = static_cast<float*>(arrayArg(a, 4, &on));
  if (!a.ok) return false;
  if (pn < 4 || p[1] < 0 || p[2] < 0 || p[3] < 0) return throwError(env, "deepts native: recurrence: bad params");
  r.op = p[0];
  r.steps = (size_t)p[1], r.batch = (size_t)p[2], r.units = (size_t)p[3];
  const size_t seq = r.steps * r.batch * r.units, state = r.batch * r.units, kernel = r.units * r.units;
  // forward: (xw [T,B,U], h0 [B,U], u [U,U]) → hs; backward: (hs [T,B,U], u [U,U], dhs [T,B,U]) → dz.
  const bool sizes = forward ? an == seq && bn == state && cn == kernel : an == seq && bn == kernel && cn == seq;
  if (!sizes || on != seq) return throwError(env, "deepts native: recurrence: array sizes do not match [steps, batch, units]");
  if (r.op < 0 || r.op >= kActivationOpCount) return throwError(env, "deepts native: unknown activation");
  return true;
}

// The recurrence's activations in place, and the gradient through them from the output h
// (dz ← dz·activation'), as vectorized loops.
template <ActivationOp Op>
inline float activate(float v) {
  switch (Op) {
    case ActivationOp::Relu: return v < 0 ? 0.0f : v;
    case ActivationOp::Sigmoid: return sigmoidf(v);
    case ActivationOp::Tanh: return fastTanh(v);
  }
  return v;
}
template <ActivationOp Op>
inline float derivativeTimes(float h, float dz) {
  switch (Op) {
    case ActivationOp::Relu: return h > 0.0f ? dz : 0.0f;
    case ActivationOp::Sigmoid: return dz * h * (1.0f - h);
    case ActivationOp::Tanh: return dz * (1.0f - h * h);
  }
  return dz;
}
template <ActivationOp Op>
VECTOR_CLONES void activateInPlace(float* __restrict h, size_t n) {
  for (size_t i = 0; i < n; i++) h[i] = activate<Op>(h[i]);
}
template <ActivationOp Op>
VECTOR_CLONES void scaleByDerivative(const float* __restrict h, float* __restrict dz, size_t n) {
  for (size_t i = 0; i < n; i++) dz[i] = derivativeTimes<Op>(h[i], dz[i]);
}
typedef void (*ActivateFn)(float*, size_t);
typedef void (*ScaleFn)(const float*, float*, size_t);
template <size_t... I>
std::array<ActivateFn, sizeof...(I)> activateTable(std::index_sequence<I...>) {
  return {{activateInPlace<static_cast<ActivationOp>(I)>...}};
}
template <size_t... I>
std::array<ScaleFn, sizeof...(I)> scaleTable(std::index_sequence<I...>) {
  return {{scaleByDerivative<static_cast<ActivationOp>(I)>...}};
}
const auto ACTIVATE_IN_PLACE = activateTable(std::make_index_sequence<kActivationOpCount>());
const auto SCALE_BY_DERIVATIVE = scaleTable(std::make_index_sequence<kActivationOpCount>());

// Every state of h_t = activation(xw_t + h_{t−1}·u): per step one sgemm accumulating onto a copy of
// xw_t, then the activation in place; (params, xw, h0, u, hs).
napi_value RnnForward(napi_env env, napi_callback_info info) {
  RecurrenceArgs r;
  if (!readRecurrenceArgs(env, info, r, true)) return nullptr;
  const size_t B = r.batch, U = r.units, block = B * U;
  if (block == 0) return nullptr;
  const float *xw = r.a, *h0 = r.b, *u = r.c;
  for (size_t t = 0; t < r.steps && !interrupted; t++) {
    float* h = r.out + t * block;
    const float* prev = t == 0 ? h0 : h - block;
    std::memcpy(h, xw + t * block, sizeof(float) * block);
    sgemm(CblasNoTrans, CblasNoTrans, (int)B, (int)U, (int)U, prev, (int)U, u, (int)U, 1.0f, h, (int)U);
    ACTIVATE_IN_PLACE[r.op](h, block);
  }
  return nullptr;
}

// Walking back: dz_t = activation'(h_t)·(dhs_t + dz_{t+1}·uᵀ); (params, hs, u, dhs, dz).
napi_value RnnBackward(napi_env env, napi_callback_info info) {
  RecurrenceArgs r;
  if (!readRecurrenceArgs(env, info, r, false)) return nullptr;
  const size_t B = r.batch, U = r.units, block = B * U;
  if (block == 0) return nullptr;
  const float *hs = r.a, *u = r.b, *dhs = r.c;
  for (size_t t = r.steps; t-- > 0 && !interrupted;) {
    float* dz = r.out + t * block;
    const float* h = hs + t * block;
    std::memcpy(dz, dhs + t * block, sizeof(float) * block);
    if (t + 1 < r.steps) sgemm(CblasNoTrans, CblasTrans, (int)B, (int)U, (int)U, dz + block, (int)U, u, (int)U, 1.0f, dz, (int)U);
    SCALE_BY_DERIVATIVE[r.op](h, dz, block);
  }
  return nullptr;
}

// ------------------------------------------------------------------ softmax and cross-entropy

// Row kernels over the last axis of [rows, cols] data (float32, sums in double).
// params: [op, rows, cols] (op a RowOp); eps: Float64Array [epsilon]; then op's inputs and the output:
//   Softmax (x → y)                    SoftmaxGrad (y, dy → dx): dx = y·(dy − Σ dy·y)
//   CrossEntropy (t, p → loss[rows]): −Σ t·log(clip(p / Σp, ε, 1 − ε))
//   CrossEntropyGrad (t, p, dloss[rows] → dp)
//   SparseCrossEntropy (labels[rows], p → loss[rows]): −log(clip(p[label] / Σp, ε, 1 − ε))
//   SparseCrossEntropyGrad (labels[rows], p, dloss[rows] → dp)
// A label selects class floor(label) when 0 ≤ label < cols, else none (loss and gradient 0).
napi_value Rowwise(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 4)) return nullptr;
  const int32_t* p = static_cast<const int32_t*>(arrayArg(a, 0));
  const double* h = static_cast<const double*>(arrayArg(a, 1));
  if (!a.ok) return nullptr;
  if (p[0] < 0 || p[0] >= kRowOpCount) {
    throwError(env, "deepts native: unknown rowwise op");
    return nullptr;
  }
  const RowOp op = static_cast<RowOp>(p[0]);
  const i64 rows = p[1], cols = p[2];
  const size_t arrays = op == RowOp::Softmax                                                     ? 2
                        : op == RowOp::CrossEntropyGrad || op == RowOp::SparseCrossEntropyGrad ? 4
                                                                                               : 3;
  if (a.argc < 2 + arrays) {
    throwError(env, "deepts native: rowwise: too few arrays");
    return nullptr;
  }
  const float* in0 = static_cast<const float*>(arrayArg(a, 2));
  const float* in1 = arrays > 2 ? static_cast<const float*>(arrayArg(a, 3)) : nullptr;
  const float* in2 = arrays > 3 ? static_cast<const float*>(arrayArg(a, 4)) : nullptr;
  float* out = static_cast<float*>(arrayArg(a, 1 + arrays));
  if (!a.ok) return nullptr;
  const float eps = (float)h[0], top = 1.0f - eps;
  for (i64 r = 0; r < rows; r++) {
    const i64 base = r * cols;
    switch (op) {
      case RowOp::Softmax: {
        const float* x = in0 + base;
        float* y = out + base;
        float mx = -INFINITY;
        for (i64 j = 0; j < cols; j++) mx = x[j] > mx || x[j] != x[j] ? x[j] : mx;
        double sum = 0;
        for (i64 j = 0; j < cols; j++) {
          y[j] = fastExp(x[j] - mx);
          sum += y[j];
        }
        const float inv = (float)(1.0 / sum);
        for (i64 j = 0; j < cols; j++) y[j] *= inv;
        break;
      }
      case RowOp::SoftmaxGrad: {
        const float* y = in0 + base;
        const float* dy = in1 + base;
        double dot = 0;
        for (i64 j = 0; j < cols; j++) dot += (double)dy[j] * y[j];
        const float d = (float)dot;
        for (i64 j = 0; j < cols; j++) out[base + j] = y[j] * (dy[j] - d);
        break;
      }
      case RowOp::CrossEntropy:
      case RowOp::CrossEntropyGrad: {
        const float* t = in0 + base;
        const float* q = in1 + base;
        double total = 0;
        for (i64 j = 0; j < cols; j++) total += q[j];
        const float S = (float)total;
        if (op == RowOp::CrossEntropy) {
          double loss = 0;
          for (i64 j = 0; j < cols; j++) {
            const float c = std::min(std::max(q[j] / S, eps), top);
            loss -= (double)t[j] * std::log(c);
          }
          out[r] = (float)loss;
          break;
        }
        // u = dloss/dc where the clip passes the ratio through, 0 where it clamps.
        float* dp = out + base;
        double weighted = 0;
        for (i64 j = 0; j < cols; j++) {
          const float ratio = q[j] / S;
          const float u = ratio >= eps && ratio <= top ? -t[j] / ratio : 0.0f;
          dp[j] = u;
          weighted += (double)u * q[j];
        }
        const float dl = in2[r];
        const float w = (float)(weighted / ((double)S * S));
        for (i64 j = 0; j < cols; j++) dp[j] = dl * (dp[j] / S - w);
        break;
      }
      case RowOp::SparseCrossEntropy:
      case RowOp::SparseCrossEntropyGrad: {
        const float label = in0[r];
        const i64 k = label >= 0 && label < (float)cols ? (i64)std::floor(label) : -1;
        if (op == RowOp::SparseCrossEntropyGrad) std::memset(out + base, 0, sizeof(float) * cols);
        else out[r] = 0.0f;
        if (k < 0 || k >= cols) break;
        const float* q = in1 + base;
        double total = 0;
        for (i64 j = 0; j < cols; j++) total += q[j];
        const float S = (float)total;
        const float ratio = q[k] / S;
        if (op == RowOp::SparseCrossEntropy) {
          out[r] = (float)(-(double)std::log(std::min(std::max(ratio, eps), top)));
          break;
        }
        // CrossEntropyGrad with one target: u = −1/ratio at the label (0 where the clip clamps), 0 elsewhere.
        const float u = ratio >= eps && ratio <= top ? -1.0f / ratio : 0.0f;
        const float dl = in2[r];
        const float w = (float)((double)u * q[k] / ((double)S * S));
        float* dp = out + base;
        for (i64 j = 0; j < cols; j++) dp[j] = dl * (0.0f / S - w);
        dp[k] = dl * (u / S - w);
        break;
      }
    }
  }
  return nullptr;
}

// ------------------------------------------------------------------ layout

// params: [elementBytes, rank, srcOffset, dstOffset, shape[rank], srcStrides[rank], dstStrides[rank]]
template <typename T>
void stridedCopy(int rank, const int32_t* shape, const int32_t* ss, const int32_t* ds, const T* src, T* dst) {
  if (rank == 0) {
    dst[0] = src[0];
    return;
  }
  const int32_t* strides[2] = {ss, ds};
  const i64 si = ss[rank - 1], di = ds[rank - 1];
  if (rank >= 2 && di == 1 && si != 1 && ss[rank - 2] == 1) {
    // The last two axes are a transpose: copy 8×8 blocks through a small buffer (the compiler
    // turns each block into register shuffles), then the ragged edges element by element.
    const i64 cols = shape[rank - 1], dRow = ds[rank - 2];
    walkRows(rank - 1, shape, strides, 2, [&](i64, const i64* off, i64 rows) {
      const T* s = src + off[0];
      T* d = dst + off[1];
      const i64 rFull = rows - rows % 8, cFull = cols - cols % 8;
      for (i64 c0 = 0; c0 < cFull; c0 += 8) {
        for (i64 r0 = 0; r0 < rFull; r0 += 8) {
          T block[8][8];
          for (int c = 0; c < 8; c++)
            for (int r = 0; r < 8; r++) block[c][r] = s[(r0 + r) + (c0 + c) * si];
          for (int r = 0; r < 8; r++)
            for (int c = 0; c < 8; c++) d[(r0 + r) * dRow + c0 + c] = block[c][r];
        }
      }
      for (i64 r = rFull; r < rows; r++)
        for (i64 c = 0; c < cols; c++) d[r * dRow + c] = s[r + c * si];
      for (i64 r = 0; r < rFull; r++)
        for (i64 c = cFull; c < cols; c++) d[r * dRow + c] = s[r + c * si];
    });
    return;
  }
  // walkRows tracks the output offset contiguously; here both sides have explicit strides, so
  // the destination is tracked as a second "input".
  walkRows(rank, shape, strides, 2, [&](i64, const i64* off, i64 len) {
    const T* s = src + off[0];
    T* d = dst + off[1];
    if (si == 1 && di == 1) {
      std::memcpy(d, s, sizeof(T) * len);
    } else {
      for (i64 i = 0; i < len; i++) d[i * di] = s[i * si];
    }
  });
}

napi_value StridedCopy(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 3)) return nullptr;
  const int32_t* p = static_cast<const int32_t*>(arrayArg(a, 0));
  void* src = arrayArg(a, 1);
  void* dst = arrayArg(a, 2);
  if (!a.ok) return nullptr;
  const int bytes = p[0], rank = p[1];
  if (rank < 0 || rank > 16) {
    throwError(env, "deepts native: rank above 16");
    return nullptr;
  }
  const i64 so = p[2], dof = p[3];
  const int32_t* shape = p + 4;
  if (bytes == 4) {
    stridedCopy(rank, shape, shape + rank, shape + 2 * rank, static_cast<const uint32_t*>(src) + so,
                static_cast<uint32_t*>(dst) + dof);
  } else {
    stridedCopy(rank, shape, shape + rank, shape + 2 * rank, static_cast<const uint8_t*>(src) + so,
                static_cast<uint8_t*>(dst) + dof);
  }
  return nullptr;
}

// params: [outer, axisSize, numIndices, inner]; 4-byte elements. Returns the first bad index or -1.
napi_value Gather(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 4)) return nullptr;
  const int32_t* p = static_cast<const int32_t*>(arrayArg(a, 0));
  const uint32_t* x = static_cast<const uint32_t*>(arrayArg(a, 1));
  const int32_t* idx = static_cast<const int32_t*>(arrayArg(a, 2));
  uint32_t* y = static_cast<uint32_t*>(arrayArg(a, 3));
  if (!a.ok) return nullptr;
  const i64 outer = p[0], axis = p[1], count = p[2], inner = p[3];
  napi_value result;
  for (i64 j = 0; j < count; j++) {
    if (idx[j] < 0 || idx[j] >= axis) {
      napi_create_int32(env, idx[j], &result);
      return result;
    }
  }
  for (i64 o = 0; o < outer; o++) {
    for (i64 j = 0; j < count; j++) {
      std::memcpy(y + (o * count + j) * inner, x + (o * axis + idx[j]) * inner, sizeof(uint32_t) * inner);
    }
  }
  napi_get_null(env, &result);
  return result;
}

// params: [rows, inner, numSegments]; float32. Returns the first id >= numSegments, or null.
napi_value SegmentSum(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 4)) return nullptr;
  const int32_t* p = static_cast<const int32_t*>(arrayArg(a, 0));
  const float* x = static_cast<const float*>(arrayArg(a, 1));
  const int32_t* ids = static_cast<const int32_t*>(arrayArg(a, 2));
  float* y = static_cast<float*>(arrayArg(a, 3));
  if (!a.ok) return nullptr;
  const i64 rows = p[0], inner = p[1], segments = p[2];
  napi_value result;
  for (i64 r = 0; r < rows; r++) {
    if (ids[r] >= segments) {
      napi_create_int32(env, ids[r], &result);
      return result;
    }
  }
  std::memset(y, 0, sizeof(float) * segments * inner);
  for (i64 r = 0; r < rows; r++) {
    if (ids[r] < 0) continue;
    float* d = y + ids[r] * inner;
    const float* s = x + r * inner;
    for (i64 e = 0; e < inner; e++) d[e] += s[e];
  }
  napi_get_null(env, &result);
  return result;
}

// params: [from, to], each a DTypeCode.
napi_value Cast(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 3)) return nullptr;
  const int32_t* p = static_cast<const int32_t*>(arrayArg(a, 0));
  size_t n = 0;
  void* X = arrayArg(a, 1, &n);
  void* Y = arrayArg(a, 2);
  if (!a.ok) return nullptr;
  const DTypeCode from = static_cast<DTypeCode>(p[0]), to = static_cast<DTypeCode>(p[1]);
  const DTypeCode F32 = DTypeCode::Float32, I32 = DTypeCode::Int32, BOOL = DTypeCode::Bool;
  if (from == F32 && to == I32) {
    const float* x = static_cast<const float*>(X);
    int32_t* y = static_cast<int32_t*>(Y);
    for (size_t i = 0; i < n; i++) {
      const float v = x[i];
      // In range: truncate; NaN → 0; beyond int32, wrap like JS ToInt32.
      if (v > -2147483648.0f && v < 2147483648.0f) {
        y[i] = (int32_t)v;
      } else if (v != v || std::isinf(v)) {
        y[i] = 0;
      } else {
        y[i] = (int32_t)(uint32_t)(i64)std::fmod(std::trunc((double)v), 4294967296.0);
      }
    }
  } else if (from == I32 && to == F32) {
    const int32_t* x = static_cast<const int32_t*>(X);
    float* y = static_cast<float*>(Y);
    for (size_t i = 0; i < n; i++) y[i] = (float)x[i];
  } else if (from == F32 && to == BOOL) {
    const float* x = static_cast<const float*>(X);
    uint8_t* y = static_cast<uint8_t*>(Y);
    for (size_t i = 0; i < n; i++) y[i] = x[i] != 0.0f || x[i] != x[i];
  } else if (from == BOOL && to == F32) {
    const uint8_t* x = static_cast<const uint8_t*>(X);
    float* y = static_cast<float*>(Y);
    for (size_t i = 0; i < n; i++) y[i] = (float)x[i];
  } else {
    throwError(env, "deepts native: unsupported cast");
  }
  return nullptr;
}

// ------------------------------------------------------------------ optimizer updates

// Adam's two passes as vector loops (the step's square root and division gain most from wide vectors).
VECTOR_CLONES void adamMoments(float b1, float c1, float b2, float c2, const float* __restrict m, const float* __restrict v,
                               const float* __restrict g, float* __restrict mOut, float* __restrict vOut, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const float gi = g[i];
    mOut[i] = b1 * m[i] + c1 * gi;
    vOut[i] = b2 * v[i] + c2 * (gi * gi);
  }
}

VECTOR_CLONES void adamStep(float lr, float mScale, float vScale, float eps, const float* __restrict w, const float* __restrict m,
                            const float* __restrict v, float* __restrict out, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = w[i] - lr * (m[i] * mScale) / (std::sqrt(v[i] * vScale) + eps);
}

// Adam's two fused passes over n weights, with m and v packed [2, n] (m, then v).
// args: (hyper: Float64Array, a, b, out); hyper[0] picks the pass (an AdamPass):
//   Moments: hyper [Moments, beta1, beta2], a = moments [2n], b = g [n], out [2n]:
//     m' = b1·m + (1 − b1)·g, v' = b2·v + (1 − b2)·g²
//   Step: hyper [Step, learningRate, beta1Power, beta2Power, epsilon], a = w [n], b = moments [2n], out [n]:
//     w' = w − lr·m̂ / (√v̂ + ε) with m̂ = m / (1 − b1^t), v̂ = v / (1 − b2^t)
napi_value Adam(napi_env env, napi_callback_info info) {
  PassArgs c;
  if (!readPassArgs(env, info, c)) return nullptr;
  const double* h = static_cast<const double*>(c.params);
  const float *A = c.a, *B = c.b;
  float* out = c.out;
  const size_t aLength = c.aLength, bLength = c.bLength, outLength = c.outLength;
  if (h[0] != static_cast<double>(AdamPass::Moments) && h[0] != static_cast<double>(AdamPass::Step)) {
    throwError(env, "deepts native: adam: unknown pass");
    return nullptr;
  }
  const bool moments = h[0] == static_cast<double>(AdamPass::Moments);
  // n weights: moments pass (2n, n → 2n), step pass (n, 2n → n).
  const size_t n = moments ? bLength : aLength;
  if ((moments ? aLength : bLength) != 2 * n || outLength != (moments ? 2 * n : n)) {
    throwError(env, "deepts native: adam: the packed moments must be twice the weights' size");
    return nullptr;
  }
  if (moments) {
    adamMoments((float)h[1], (float)(1.0 - h[1]), (float)h[2], (float)(1.0 - h[2]), A, A + n, B, out, out + n, n);
  } else {
    adamStep((float)h[1], (float)(1.0 / (1.0 - h[2])), (float)(1.0 / (1.0 - h[3])), (float)h[4], A, B, B + n, out, n);
  }
  return nullptr;
}

// ------------------------------------------------------------------ module

napi_value BlasInfo(napi_env env, napi_callback_info) {
  napi_value result;
  const char* config = openblas_get_config();
  napi_create_string_utf8(env, config ? config : "OpenBLAS", NAPI_AUTO_LENGTH, &result);
  return result;
}

// The fingerprint of the op codes this build was compiled with (op_codes.h).
napi_value OpCodesFingerprint(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_uint32(env, kOpCodesFingerprint, &result);
  return result;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 1)) return nullptr;
  int32_t n = 0;
  napi_get_value_int32(env, a.argv[0], &n);
  initThreads();
  if (n > 0) maxThreads = n;  // the next large product switches to it
  napi_value result;
  napi_create_int32(env, maxThreads, &result);
  return result;
}

// setInterruptFlag(flag: Int32Array | undefined): the flag this thread's calls check (kept alive here).
napi_value SetInterruptFlag(napi_env env, napi_callback_info info) {
  Args a;
  if (!readArgs(env, info, a, 1)) return nullptr;
  if (interruptFlagRef) napi_delete_reference(env, interruptFlagRef);
  interruptFlagRef = nullptr;
  interruptFlag = nullptr;
  napi_valuetype type;
  napi_typeof(env, a.argv[0], &type);
  if (type == napi_undefined || type == napi_null) return nullptr;
  size_t length = 0;
  const int32_t* flag = static_cast<const int32_t*>(arrayArg(a, 0, &length));
  if (!a.ok) return nullptr;
  if (length < 1) {
    throwError(env, "deepts native: the interrupt flag must have at least one element");
    return nullptr;
  }
  napi_create_reference(env, a.argv[0], 1, &interruptFlagRef);
  interruptFlag = flag;
  return nullptr;
}

// Every exported function runs through this: a call that stopped early for an interrupt throws.
napi_value Guarded(napi_env env, napi_callback_info info) {
  void* data = nullptr;
  napi_get_cb_info(env, info, nullptr, nullptr, nullptr, &data);
  interrupted = false;
  napi_value result = reinterpret_cast<napi_callback>(data)(env, info);
  if (!interrupted) return result;
  interrupted = false;
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_error(env, "DEEPTS_INTERRUPTED", "Execution interrupted (inside a native operation)");
  return nullptr;
}

napi_value Init(napi_env env, napi_value exports) {
  const struct {
    const char* name;
    napi_callback fn;
  } functions[] = {
      {"matMul", MatMul},
      {"conv2d", Conv2D},
      {"conv2dBackpropInput", Conv2DBackpropInput},
      {"conv2dBackpropFilter", Conv2DBackpropFilter},
      {"maxPool", MaxPool},
      {"maxPoolGrad", MaxPoolGrad},
      {"avgPool", AvgPool},
      {"avgPoolGrad", AvgPoolGrad},
      {"unary", Unary},
      {"binary", Binary},
      {"select", Select},
      {"reduce", Reduce},
      {"stridedCopy", StridedCopy},
      {"gather", Gather},
      {"segmentSum", SegmentSum},
      {"cast", Cast},
      {"biasActivation", BiasActivation},
      {"activationGrad", ActivationGrad},
      {"rnnForward", RnnForward},
      {"rnnBackward", RnnBackward},
      {"rowwise", Rowwise},
      {"adam", Adam},
      {"blasInfo", BlasInfo},
      {"setThreads", SetThreads},
      {"setInterruptFlag", SetInterruptFlag},
      {"opCodesFingerprint", OpCodesFingerprint},
      {"fmaPeak", FmaPeak},
  };
  for (const auto& f : functions) {
    napi_value fn;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, Guarded, reinterpret_cast<void*>(f.fn), &fn);
    napi_set_named_property(env, exports, f.name, fn);
  }
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
