/*
 * Single-precision matrix products for the recurrent kernels (rnn.c), on 128-bit WebAssembly SIMD.
 *
 * Everything is row-major with explicit leading dimensions, so a product can read a block of a
 * wider matrix (one gate's columns, one time step's rows of a [batch, time, width] tensor).
 *
 * The micro-kernel keeps a 4×8 tile of C in 8 registers and, per k, loads one row of B (two
 * vectors), broadcasts four elements of A and issues 8 multiplies and 8 adds (no FMA in
 * WebAssembly SIMD). V8 maps v128 onto the 16 xmm registers and keeps one for itself: 4×8 leaves
 * room for B, the broadcast and a product; a 6×8 tile (12 accumulators) spills and runs at half
 * the speed, 2×16 is as fast as 4×8 but wastes more on narrow products (N = 32 here).
 */
#ifndef RNN_GEMM_H
#define RNN_GEMM_H

#include <wasm_simd128.h>

typedef v128_t V;
#define INLINE static inline __attribute__((always_inline))

/* K is cut into blocks so that a block of B (up to KC × N floats) stays in L2 while every row
 * block of A runs over it: Xᵀ·dZ has K = batch × time (thousands). */
#define KC 256

#define MADD(c, a, b) c = wasm_f32x4_add(c, wasm_f32x4_mul(a, b))

/*
 * C[rows×8] (+)= A·B over k < K. Row i of A at `a + i·rs`, step k at `+ k·cs` (rs = lda, cs = 1
 * for A; rs = 1, cs = lda for Aᵀ). Rows past `rows` (a bottom edge) are computed on row 0's data
 * and not stored.
 */
INLINE void tile_4x8(int K, const float *a, int rs, int cs, const float *b, int ldb, float *c, int ldc, int rows, int acc) {
  const float *a0 = a, *a1 = a + (rows > 1 ? rs : 0), *a2 = a + (rows > 2 ? 2 * rs : 0), *a3 = a + (rows > 3 ? 3 * rs : 0);
  float *c0 = c, *c1 = rows > 1 ? c + ldc : c, *c2 = rows > 2 ? c + 2 * ldc : c, *c3 = rows > 3 ? c + 3 * ldc : c;
  V z = wasm_f32x4_splat(0.0f);
  V c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
  if (acc) {
    c00 = wasm_v128_load(c0), c01 = wasm_v128_load(c0 + 4);
    c10 = wasm_v128_load(c1), c11 = wasm_v128_load(c1 + 4);
    c20 = wasm_v128_load(c2), c21 = wasm_v128_load(c2 + 4);
    c30 = wasm_v128_load(c3), c31 = wasm_v128_load(c3 + 4);
  }
  for (int k = 0; k < K; k++) {
    V b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
    b += ldb;
    V x = wasm_v128_load32_splat(a0);
    MADD(c00, x, b0); MADD(c01, x, b1);
    x = wasm_v128_load32_splat(a1);
    MADD(c10, x, b0); MADD(c11, x, b1);
    x = wasm_v128_load32_splat(a2);
    MADD(c20, x, b0); MADD(c21, x, b1);
    x = wasm_v128_load32_splat(a3);
    MADD(c30, x, b0); MADD(c31, x, b1);
    a0 += cs; a1 += cs; a2 += cs; a3 += cs;
  }
  if (rows > 3) { wasm_v128_store(c3, c30); wasm_v128_store(c3 + 4, c31); }
  if (rows > 2) { wasm_v128_store(c2, c20); wasm_v128_store(c2 + 4, c21); }
  if (rows > 1) { wasm_v128_store(c1, c10); wasm_v128_store(c1 + 4, c11); }
  wasm_v128_store(c0, c00); wasm_v128_store(c0 + 4, c01);
}

/* The same for a 4-column edge. */
INLINE void tile_4x4(int K, const float *a, int rs, int cs, const float *b, int ldb, float *c, int ldc, int rows, int acc) {
  const float *a0 = a, *a1 = a + (rows > 1 ? rs : 0), *a2 = a + (rows > 2 ? 2 * rs : 0), *a3 = a + (rows > 3 ? 3 * rs : 0);
  float *c0 = c, *c1 = rows > 1 ? c + ldc : c, *c2 = rows > 2 ? c + 2 * ldc : c, *c3 = rows > 3 ? c + 3 * ldc : c;
  V z = wasm_f32x4_splat(0.0f);
  V c00 = z, c10 = z, c20 = z, c30 = z;
  if (acc) { c00 = wasm_v128_load(c0); c10 = wasm_v128_load(c1); c20 = wasm_v128_load(c2); c30 = wasm_v128_load(c3); }
  for (int k = 0; k < K; k++) {
    V b0 = wasm_v128_load(b);
    b += ldb;
    MADD(c00, wasm_v128_load32_splat(a0), b0);
    MADD(c10, wasm_v128_load32_splat(a1), b0);
    MADD(c20, wasm_v128_load32_splat(a2), b0);
    MADD(c30, wasm_v128_load32_splat(a3), b0);
    a0 += cs; a1 += cs; a2 += cs; a3 += cs;
  }
  if (rows > 3) wasm_v128_store(c3, c30);
  if (rows > 2) wasm_v128_store(c2, c20);
  if (rows > 1) wasm_v128_store(c1, c10);
  wasm_v128_store(c0, c00);
}

/* Scalar columns at the right edge (N not a multiple of 4). */
INLINE void tile_scalar(int K, const float *a, int rs, int cs, const float *b, int ldb, float *c, int ldc, int rows, int cols, int acc) {
  for (int i = 0; i < rows; i++) {
    for (int j = 0; j < cols; j++) {
      float s = acc ? c[i * ldc + j] : 0.0f;
      const float *ai = a + i * rs;
      for (int k = 0; k < K; k++) s += ai[k * cs] * b[k * ldb + j];
      c[i * ldc + j] = s;
    }
  }
}

/*
 * C[M×N] (+)= op(A)·B with B [K×N] (ldb) and C (ldc); op(A) row i, column k at A[i·rs + k·cs].
 * `acc` = 0 overwrites C. Always inlined, so rs/cs that are constants at the call site (1 for the
 * unit stride) compile to plain pointer increments.
 */
INLINE void gemm_strided(int M, int N, int K, const float *A, int rs, int cs, const float *B, int ldb, float *C, int ldc, int acc) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!acc) for (int i = 0; i < M; i++) for (int j = 0; j < N; j++) C[i * ldc + j] = 0.0f;
    return;
  }
  for (int k0 = 0; k0 < K; k0 += KC) {
    int kc = K - k0 < KC ? K - k0 : KC;
    int accum = acc || k0 > 0;
    const float *Ak = A + k0 * cs;
    const float *Bk = B + k0 * ldb;
    for (int i = 0; i < M; i += 4) {
      int rows = M - i < 4 ? M - i : 4;
      const float *ai = Ak + i * rs;
      float *ci = C + i * ldc;
      int j = 0;
      for (; j + 8 <= N; j += 8) tile_4x8(kc, ai, rs, cs, Bk + j, ldb, ci + j, ldc, rows, accum);
      if (j + 4 <= N) { tile_4x4(kc, ai, rs, cs, Bk + j, ldb, ci + j, ldc, rows, accum); j += 4; }
      if (j < N) tile_scalar(kc, ai, rs, cs, Bk + j, ldb, ci + j, ldc, rows, N - j, accum);
    }
  }
}

/* C (+)= A·B, A [M×K] (lda). */
static void gemm_nn(int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc, int acc) {
  gemm_strided(M, N, K, A, lda, 1, B, ldb, C, ldc, acc);
}

/* C (+)= Aᵀ·B, A [K×M] (lda): the weight gradients (inputsᵀ · dZ) without transposing inputs. */
static void gemm_tn(int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc, int acc) {
  gemm_strided(M, N, K, A, 1, lda, B, ldb, C, ldc, acc);
}

/* dst [cols×rows] = srcᵀ, src [rows×cols] (lds): products with Bᵀ read a transposed copy. */
static void transpose(int rows, int cols, const float *src, int lds, float *dst) {
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < cols; j++) dst[j * rows + i] = src[i * lds + j];
}

#endif
