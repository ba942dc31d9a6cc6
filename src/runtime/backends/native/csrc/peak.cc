// The machine's measured float32 peak: every thread runs independent chains of fused multiply-adds
// in the widest vectors the processor has (AVX-512, else AVX2+FMA, else SSE multiply and add), with
// enough chains in flight to cover the FMA units' latency. The benchmark divides SGEMM's GFLOP/s by it.
#include <node_api.h>

#include <chrono>
#include <thread>
#include <vector>

#include <immintrin.h>

namespace deepts_peak {

// 12 chains: FMA latency (4–5 cycles) times two FMA units per core, with a margin.
constexpr int CHAINS = 12;

#define DEEPTS_FMA_LOOP(VEC, SET1, FMA, ADD, STORE, LANES)              \
  VEC acc[CHAINS];                                                      \
  for (int j = 0; j < CHAINS; j++) acc[j] = SET1(1.0f + j * 1e-3f);     \
  const VEC mul = SET1(0.999999f), add = SET1(1e-6f);                   \
  for (long i = 0; i < iterations; i++) {                               \
    for (int j = 0; j < CHAINS; j++) acc[j] = FMA(acc[j], mul, add);    \
  }                                                                     \
  VEC sum = acc[0];                                                     \
  for (int j = 1; j < CHAINS; j++) sum = ADD(sum, acc[j]);              \
  float lanes[LANES];                                                   \
  STORE(lanes, sum);                                                    \
  return lanes[0];

__attribute__((target("avx512f"))) float loopAvx512(long iterations) {
  DEEPTS_FMA_LOOP(__m512, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps, _mm512_storeu_ps, 16)
}

__attribute__((target("avx2,fma"))) float loopAvx2(long iterations) {
  DEEPTS_FMA_LOOP(__m256, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_add_ps, _mm256_storeu_ps, 8)
}

inline __m128 mulAdd128(__m128 a, __m128 b, __m128 c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }

float loopSse(long iterations) {
  DEEPTS_FMA_LOOP(__m128, _mm_set1_ps, mulAdd128, _mm_add_ps, _mm_storeu_ps, 4)
}

struct Isa {
  const char* name;
  float (*loop)(long);
  int lanes;
};

Isa bestIsa() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return {"AVX-512", loopAvx512, 16};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return {"AVX2+FMA", loopAvx2, 8};
  return {"SSE", loopSse, 4};
}

// Runs the loop on `threads` threads at once; GFLOP/s of the fastest of `rounds` rounds.
double measure(const Isa& isa, int threads, long iterations, int rounds) {
  volatile float sink = 0;
  double best = 0;
  for (int r = 0; r < rounds; r++) {
    std::vector<std::thread> pool;
    std::vector<float> results(threads);
    const auto start = std::chrono::steady_clock::now();
    for (int t = 0; t < threads; t++) pool.emplace_back([&, t] { results[t] = isa.loop(iterations); });
    for (auto& th : pool) th.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (float v : results) sink = sink + v;
    const double flops = 2.0 * CHAINS * isa.lanes * (double)iterations * threads;
    if (seconds > 0 && flops / seconds / 1e9 > best) best = flops / seconds / 1e9;
  }
  (void)sink;
  return best;
}

}  // namespace deepts_peak

// fmaPeak(threads, iterations, rounds) → { gflops, isa, threads }
napi_value FmaPeak(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int32_t threads = 1, rounds = 5;
  int64_t iterations = 20000000;
  if (argc > 0) napi_get_value_int32(env, argv[0], &threads);
  if (argc > 1) napi_get_value_int64(env, argv[1], &iterations);
  if (argc > 2) napi_get_value_int32(env, argv[2], &rounds);
  if (threads < 1 || threads > 1024 || iterations < 1 || rounds < 1) {
    napi_throw_range_error(env, nullptr, "fmaPeak: threads in 1..1024, iterations and rounds ≥ 1");
    return nullptr;
  }
  const deepts_peak::Isa isa = deepts_peak::bestIsa();
  const double gflops = deepts_peak::measure(isa, threads, (long)iterations, rounds);
  napi_value result, value;
  napi_create_object(env, &result);
  napi_create_double(env, gflops, &value);
  napi_set_named_property(env, result, "gflops", value);
  napi_create_string_utf8(env, isa.name, NAPI_AUTO_LENGTH, &value);
  napi_set_named_property(env, result, "isa", value);
  napi_create_int32(env, threads, &value);
  napi_set_named_property(env, result, "threads", value);
  return result;
}
