/*
 * Reductions over the middle axis of x viewed as [outer][mid][inner] (a contiguous block of
 * reduced axes): the global max and average pools of the text models ([batch][time][channels]),
 * a bias gradient (sum over every position), and the positions the max-pool gradient goes to.
 * tfjs's wasm kernels transpose such inputs first so the reduced axes come last; these read them
 * in place, 4 channels at a time. Rows o in [start, end), so a call can be split over threads.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

/* y[o][i] = max over m of x[o][m][i]; a NaN wins, as in tfjs's cpu kernel. */
EXPORT(reduce_max)
void reduce_max(const float *x, float *y, int mid, int inner, int start, int end) {
  for (int o = start; o < end; o++) {
    const float *row = x + o * mid * inner;
    float *out = y + o * inner;
    int i = 0;
    for (; i + 4 <= inner; i += 4) {
      v128_t best = wasm_v128_load(row + i);
      for (int m = 1; m < mid; m++) {
        const v128_t v = wasm_v128_load(row + m * inner + i);
        best = wasm_v128_bitselect(v, best, wasm_v128_or(wasm_f32x4_gt(v, best), wasm_f32x4_ne(v, v)));
      }
      wasm_v128_store(out + i, best);
    }
    for (; i < inner; i++) {
      float best = row[i];
      for (int m = 1; m < mid; m++) {
        const float v = row[m * inner + i];
        if (v > best || v != v) best = v;
      }
      out[i] = best;
    }
  }
}

/* y[o][i] = (Σ_m x[o][m][i]) / divisor, summed in order of m (divisor 1: Sum, mid: Mean). */
EXPORT(reduce_sum)
void reduce_sum(const float *x, float *y, int mid, int inner, float divisor, int start, int end) {
  const v128_t d = wasm_f32x4_splat(divisor);
  for (int o = start; o < end; o++) {
    const float *row = x + o * mid * inner;
    float *out = y + o * inner;
    int i = 0;
    for (; i + 16 <= inner; i += 16) {
      v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0, s2 = s0, s3 = s0;
      for (int m = 0; m < mid; m++) {
        const float *r = row + m * inner + i;
        s0 = wasm_f32x4_add(s0, wasm_v128_load(r));
        s1 = wasm_f32x4_add(s1, wasm_v128_load(r + 4));
        s2 = wasm_f32x4_add(s2, wasm_v128_load(r + 8));
        s3 = wasm_f32x4_add(s3, wasm_v128_load(r + 12));
      }
      wasm_v128_store(out + i, wasm_f32x4_div(s0, d));
      wasm_v128_store(out + i + 4, wasm_f32x4_div(s1, d));
      wasm_v128_store(out + i + 8, wasm_f32x4_div(s2, d));
      wasm_v128_store(out + i + 12, wasm_f32x4_div(s3, d));
    }
    for (; i < inner; i++) {
      float s = 0.0f;
      for (int m = 0; m < mid; m++) s += row[m * inner + i];
      out[i] = s / divisor;
    }
  }
}

/*
 * The max-pool gradient's targets: the flat index of every x[o][m][i] equal to y[o][i] (every tie
 * counts, as in tfjs's dy · (x == y)), written to idx in order; returns how many. Usually one per
 * (o, i), so the caller zero-fills dx and sets only these.
 */
EXPORT(reduce_max_positions)
int reduce_max_positions(const float *x, const float *y, int outer, int mid, int inner, int *idx) {
  int n = 0;
  for (int o = 0; o < outer; o++) {
    const float *yo = y + o * inner;
    for (int m = 0; m < mid; m++) {
      const int base = (o * mid + m) * inner;
      const float *r = x + base;
      int i = 0;
      for (; i + 4 <= inner; i += 4) {
        const v128_t eq = wasm_f32x4_eq(wasm_v128_load(r + i), wasm_v128_load(yo + i));
        if (!wasm_v128_any_true(eq)) continue;
        const int bits = wasm_i32x4_bitmask(eq);
        for (int k = 0; k < 4; k++)
          if (bits & (1 << k)) idx[n++] = base + i + k;
      }
      for (; i < inner; i++)
        if (r[i] == yo[i]) idx[n++] = base + i;
    }
  }
  return n;
}

/*
 * The Embedding gradient (UnsortedSegmentSum): out[ids[r]][:] += x[r][:] for rows r, out [segments][inner]
 * zeroed here first; ids outside [0, segments) are skipped, as tfjs's cpu kernel does. Only the rows
 * that occur are touched (a batch uses a few thousand of a vocabulary's words).
 */
EXPORT(segment_sum)
void segment_sum(const float *x, const int *ids, int rows, int inner, int segments, float *out) {
  __builtin_memset(out, 0, (unsigned long)segments * inner * sizeof(float));
  for (int r = 0; r < rows; r++) {
    const int id = ids[r];
    if (id < 0 || id >= segments) continue;
    const float *src = x + r * inner;
    float *dst = out + id * inner;
    int i = 0;
    for (; i + 4 <= inner; i += 4) wasm_v128_store(dst + i, wasm_f32x4_add(wasm_v128_load(dst + i), wasm_v128_load(src + i)));
    for (; i < inner; i++) dst[i] += src[i];
  }
}

/* The gradient of Mean over the middle axis: dx[o][m][i] = dy[o][i] / divisor for rows o in [0, outer). */
EXPORT(reduce_mean_grad)
void reduce_mean_grad(const float *dy, float *dx, int outer, int mid, int inner, float divisor) {
  const v128_t d = wasm_f32x4_splat(divisor);
  for (int o = 0; o < outer; o++) {
    const float *src = dy + o * inner;
    float *row = dx + o * mid * inner;
    int i = 0;
    for (; i + 4 <= inner; i += 4) {
      const v128_t q = wasm_f32x4_div(wasm_v128_load(src + i), d);
      for (int m = 0; m < mid; m++) wasm_v128_store(row + m * inner + i, q);
    }
    for (; i < inner; i++) {
      const float q = src[i] / divisor;
      for (int m = 0; m < mid; m++) row[m * inner + i] = q;
    }
  }
}
