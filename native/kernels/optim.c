/*
 * Optimizer updates in WebAssembly SIMD: one pass per variable instead of tfjs's ~10 full-size
 * kernels (each allocating a tensor the size of the variable).
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

/*
 * Adam, in place on value, m and v, with tfjs's formula operation for
 * operation in float32 (adam_optimizer.js), so the result is the stock optimizer's bit for bit:
 *   m' = m·b1 + g·(1 − b1)            v' = v·b2 + g²·(1 − b2)
 *   value' = ((m' / (1 − b1^t)) / (sqrt(v' / (1 − b2^t)) + eps)) · (−lr) + value
 * The scalars come precomputed as float32 the way tfjs rounds them, in memory (a second thread
 * gets integer arguments only): s = {b1, 1 − b1, b2, 1 − b2, 1 − b1^t, 1 − b2^t, eps, −lr}.
 * Elements [start, end); start is a multiple of 4.
 */
EXPORT(adam_update)
void adam_update(float *value, float *m, float *v, const float *g, const float *s, int start, int end) {
  const float b1 = s[0], omb1 = s[1], b2 = s[2], omb2 = s[3], omab1 = s[4], omab2 = s[5], eps = s[6], nlr = s[7];
  const v128_t vb1 = wasm_f32x4_splat(b1), vomb1 = wasm_f32x4_splat(omb1), vb2 = wasm_f32x4_splat(b2),
               vomb2 = wasm_f32x4_splat(omb2), va1 = wasm_f32x4_splat(omab1), va2 = wasm_f32x4_splat(omab2),
               veps = wasm_f32x4_splat(eps), vlr = wasm_f32x4_splat(nlr);
  int i = start;
  for (; i + 4 <= end; i += 4) {
    const v128_t gi = wasm_v128_load(g + i);
    const v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), vb1), wasm_f32x4_mul(gi, vomb1));
    const v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), vb2), wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), vomb2));
    wasm_v128_store(m + i, mi);
    wasm_v128_store(v + i, vi);
    const v128_t step =
        wasm_f32x4_div(wasm_f32x4_div(mi, va1), wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_div(vi, va2)), veps));
    wasm_v128_store(value + i, wasm_f32x4_add(wasm_f32x4_mul(step, vlr), wasm_v128_load(value + i)));
  }
  for (; i < end; i++) {
    const float gi = g[i];
    const float mi = m[i] * b1 + gi * omb1, vi = v[i] * b2 + (gi * gi) * omb2;
    m[i] = mi;
    v[i] = vi;
    value[i] = ((mi / omab1) / (__builtin_sqrtf(vi / omab2) + eps)) * nlr + value[i];
  }
}
