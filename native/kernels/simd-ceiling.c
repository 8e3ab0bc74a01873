/*
 * The machine's WebAssembly SIMD ceiling: a tight multiply-add loop on registers only.
 * Twelve independent accumulators hide the multiply and add latencies (eight were still
 * latency-bound here: 43 against 64 GFLOP/s), so the loop is bound by how many f32x4 multiplies
 * and adds the core issues per cycle. Twelve plus the two constants fit x86-64's sixteen vector
 * registers. WebAssembly SIMD (without the relaxed proposal) has no fused multiply-add, so one
 * "multiply-add" is two instructions.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define MADD(a) a = wasm_f32x4_add(wasm_f32x4_mul(a, b), c);
#define MADD_SCALAR(a) a = a * b + c;

/* Runs `iterations` rounds of 12 f32x4 multiply-adds: 96 floating-point operations per round. */
EXPORT(simd_madd_loop)
float simd_madd_loop(int iterations) {
  v128_t b = wasm_f32x4_splat(0.999f), c = wasm_f32x4_splat(0.001f);
  v128_t a0 = wasm_f32x4_splat(0.1f), a1 = wasm_f32x4_splat(0.2f), a2 = wasm_f32x4_splat(0.3f), a3 = wasm_f32x4_splat(0.4f);
  v128_t a4 = wasm_f32x4_splat(0.5f), a5 = wasm_f32x4_splat(0.6f), a6 = wasm_f32x4_splat(0.7f), a7 = wasm_f32x4_splat(0.8f);
  v128_t a8 = wasm_f32x4_splat(0.9f), a9 = wasm_f32x4_splat(1.0f), a10 = wasm_f32x4_splat(1.1f), a11 = wasm_f32x4_splat(1.2f);
  for (int i = 0; i < iterations; i++) {
    MADD(a0) MADD(a1) MADD(a2) MADD(a3) MADD(a4) MADD(a5) MADD(a6) MADD(a7) MADD(a8) MADD(a9) MADD(a10) MADD(a11)
  }
  v128_t s = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(a0, a1), wasm_f32x4_add(a2, a3)), wasm_f32x4_add(wasm_f32x4_add(a4, a5), wasm_f32x4_add(a6, a7)));
  s = wasm_f32x4_add(s, wasm_f32x4_add(wasm_f32x4_add(a8, a9), wasm_f32x4_add(a10, a11)));
  return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1) + wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3);
}

/* The same loop on scalars: what a kernel without SIMD can reach at best (24 flops a round). */
EXPORT(scalar_madd_loop)
float scalar_madd_loop(int iterations) {
  float a0 = 0.1f, a1 = 0.2f, a2 = 0.3f, a3 = 0.4f, a4 = 0.5f, a5 = 0.6f, a6 = 0.7f, a7 = 0.8f, a8 = 0.9f, a9 = 1.0f, a10 = 1.1f, a11 = 1.2f;
  const float b = 0.999f, c = 0.001f;
  for (int i = 0; i < iterations; i++) {
    MADD_SCALAR(a0) MADD_SCALAR(a1) MADD_SCALAR(a2) MADD_SCALAR(a3) MADD_SCALAR(a4) MADD_SCALAR(a5)
    MADD_SCALAR(a6) MADD_SCALAR(a7) MADD_SCALAR(a8) MADD_SCALAR(a9) MADD_SCALAR(a10) MADD_SCALAR(a11)
  }
  return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
}
