{
  "targets": [
    {
      "target_name": "deepts_native",
      "sources": ["deepts_native.cc", "peak.cc", "small_gemm.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-fopenmp-simd", "-fno-math-errno", "-fno-trapping-math", "-fno-exceptions", "-Werror=switch"],
      "cflags_cc!": ["-fno-rtti"],
      "libraries": ["-lopenblas"]
    }
  ]
}
