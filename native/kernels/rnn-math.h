/*
 * Vector exp, sigmoid and tanh for the gate activations, and partial loads for widths that are
 * not a multiple of 4. There is no libc here, and scalar libm calls would cost more than the
 * matrix products: the LSTM evaluates 5 transcendental functions per unit and time step.
 */
#ifndef RNN_MATH_H
#define RNN_MATH_H

#include "rnn-gemm.h"

/*
 * e^x to about 2 ulp (Cephes expf): x = n·ln2 + r with |r| ≤ ln2/2, a degree-6 polynomial for e^r,
 * 2^n built in the exponent bits. x is clamped to [-87, 88] so 2^n stays a normal float; the
 * callers only need e^x to saturate there (sigmoid and tanh are flat to float precision).
 */
INLINE V v_exp(V x) {
  x = wasm_f32x4_pmin(wasm_f32x4_pmax(x, wasm_f32x4_splat(-87.0f)), wasm_f32x4_splat(88.0f));
  V n = wasm_f32x4_floor(wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)), wasm_f32x4_splat(0.5f)));
  x = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  x = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  V y = wasm_f32x4_splat(1.9875691500e-4f);
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(1.3981999507e-3f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(8.3334519073e-3f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(4.1665795894e-2f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(1.6666665459e-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(5.0000001201e-1f));
  y = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(y, wasm_f32x4_mul(x, x)), x), wasm_f32x4_splat(1.0f));
  V pow2n = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(y, pow2n);
}

/* 1 / (1 + e^-x), as tfjs's sigmoid. */
INLINE V v_sigmoid(V x) {
  V one = wasm_f32x4_splat(1.0f);
  return wasm_f32x4_div(one, wasm_f32x4_add(one, v_exp(wasm_f32x4_neg(x))));
}

/* tanh x = 1 − 2 / (e^2x + 1): saturates to ±1 exactly, absolute error ~1e-7 near 0. */
INLINE V v_tanh(V x) {
  V one = wasm_f32x4_splat(1.0f);
  V e = v_exp(wasm_f32x4_add(x, x));
  return wasm_f32x4_sub(one, wasm_f32x4_div(wasm_f32x4_splat(2.0f), wasm_f32x4_add(e, one)));
}

/* The first n (< 4) floats at p in the low lanes, zeros above. */
INLINE V load_part(const float *p, int n) {
  float t[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  for (int i = 0; i < n; i++) t[i] = p[i];
  return wasm_v128_load(t);
}

INLINE void store_part(float *p, V v, int n) {
  float t[4];
  wasm_v128_store(t, v);
  for (int i = 0; i < n; i++) p[i] = t[i];
}

/* Loads 4 floats, or n < 4 of them at a row's right edge. */
INLINE V ld(const float *p, int n) { return n == 4 ? wasm_v128_load(p) : load_part(p, n); }
INLINE void st(float *p, V v, int n) {
  if (n == 4) wasm_v128_store(p, v);
  else store_part(p, v, n);
}

#endif
