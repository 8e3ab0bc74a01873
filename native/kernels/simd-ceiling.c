/*
 * The machine's WebAssembly SIMD ceiling: a tight multiply-add loop on registers only.
 * Eight independent accumulators hide the add latency, so the loop is bound by how many
 * f32x4 multiplies and adds the core issues per cycle. WebAssembly SIMD (without the relaxed
 * proposal) has no fused multiply-add, so one "multiply-add" is two instructions.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

/* Runs `iterations` rounds of 8 f32x4 multiply-adds: 64 floating-point operations per round. */
EXPORT(simd_madd_loop)
float simd_madd_loop(int iterations) {
  v128_t b = wasm_f32x4_splat(0.999f), c = wasm_f32x4_splat(0.001f);
  v128_t a0 = wasm_f32x4_splat(0.1f), a1 = wasm_f32x4_splat(0.2f), a2 = wasm_f32x4_splat(0.3f), a3 = wasm_f32x4_splat(0.4f);
  v128_t a4 = wasm_f32x4_splat(0.5f), a5 = wasm_f32x4_splat(0.6f), a6 = wasm_f32x4_splat(0.7f), a7 = wasm_f32x4_splat(0.8f);
  for (int i = 0; i < iterations; i++) {
    a0 = wasm_f32x4_add(wasm_f32x4_mul(a0, b), c);
    a1 = wasm_f32x4_add(wasm_f32x4_mul(a1, b), c);
    a2 = wasm_f32x4_add(wasm_f32x4_mul(a2, b), c);
    a3 = wasm_f32x4_add(wasm_f32x4_mul(a3, b), c);
    a4 = wasm_f32x4_add(wasm_f32x4_mul(a4, b), c);
    a5 = wasm_f32x4_add(wasm_f32x4_mul(a5, b), c);
    a6 = wasm_f32x4_add(wasm_f32x4_mul(a6, b), c);
    a7 = wasm_f32x4_add(wasm_f32x4_mul(a7, b), c);
  }
  v128_t s = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(a0, a1), wasm_f32x4_add(a2, a3)),
                            wasm_f32x4_add(wasm_f32x4_add(a4, a5), wasm_f32x4_add(a6, a7)));
  return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1) + wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3);
}

/* The same loop on scalars: what a kernel without SIMD can reach at best (16 flops a round). */
EXPORT(scalar_madd_loop)
float scalar_madd_loop(int iterations) {
  float a0 = 0.1f, a1 = 0.2f, a2 = 0.3f, a3 = 0.4f, a4 = 0.5f, a5 = 0.6f, a6 = 0.7f, a7 = 0.8f;
  const float b = 0.999f, c = 0.001f;
  for (int i = 0; i < iterations; i++) {
    a0 = a0 * b + c; a1 = a1 * b + c; a2 = a2 * b + c; a3 = a3 * b + c;
    a4 = a4 * b + c; a5 = a5 * b + c; a6 = a6 * b + c; a7 = a7 * b + c;
  }
  return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
}
