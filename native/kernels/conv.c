/*
 * 2-D convolution (NHWC, dilation 1, any stride) and its two gradients in WebAssembly SIMD.
 * tfjs runs Conv1D as a Conv2D of height 1, which is the case these are tuned for (text-cnn).
 *
 * The caller (main/core/backends/conv-simd.ts) copies the input into a zero-padded buffer
 * xp[B][Hp][Wp][C], so no kernel tests borders: the receptive field of output pixel (b, y, x)
 * in filter row kh is the contiguous run xp[b][y·sh + kh][x·sw·C .. x·sw·C + KW·C). That makes
 * the convolution a matrix product whose left rows are overlapping windows of xp, with no
 * im2col copy. Filters are padded to a multiple of FT (zeros) so every tile is full.
 *
 * The big kernels take a range [start, end) of independent work (output rows, samples or
 * filter-gradient rows), so a caller can split one call into parts for two threads.
 *
 * Float order: each output sums kh, then j (= kw·C + c) in ascending order, so results
 * differ from tfjs's kernels only by float rounding.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

/* Filters per tile: two f32x4 vectors. 4 pixels × 2 vectors = 8 accumulators is what fits
 * V8's 16 vector registers with the loaded operands (measured: 4×8 beats 2×16, 3×16 spills). */
#define FT 8
/* Pixels per register tile. */
#define PT 4

static inline v128_t madd(v128_t acc, v128_t a, v128_t b) { return wasm_f32x4_add(acc, wasm_f32x4_mul(a, b)); }

/*
 * Forward, one tile of NP consecutive output pixels × FT filters: for each filter row kh and
 * each j < kwc, out[p][f] += xp[window_p + j] · w[kh][j][f]. `w` is the filter tile's packed
 * panel [KH][kwc][FT] (contiguous, read once per tile).
 */
#define FORWARD_TILE(NP)                                                                                              \
  static inline void forward_tile_##NP(const float *x, int xstep, int rowStride, const float *w, int kh, int kwc,    \
                                       float *out, int outStride) {                                                  \
    v128_t lo[NP], hi[NP];                                                                                            \
    for (int p = 0; p < NP; p++) lo[p] = hi[p] = wasm_f32x4_splat(0.0f);                                             \
    for (int h = 0; h < kh; h++) {                                                                                    \
      const float *xr = x + h * rowStride;                                                                            \
      const float *wr = w + h * kwc * FT;                                                                             \
      for (int j = 0; j < kwc; j++) {                                                                                 \
        v128_t w0 = wasm_v128_load(wr + j * FT), w1 = wasm_v128_load(wr + j * FT + 4);                                \
        for (int p = 0; p < NP; p++) {                                                                                \
          v128_t s = wasm_v128_load32_splat(xr + p * xstep + j);                                                      \
          lo[p] = madd(lo[p], s, w0);                                                                                 \
          hi[p] = madd(hi[p], s, w1);                                                                                 \
        }                                                                                                             \
      }                                                                                                               \
    }                                                                                                                 \
    for (int p = 0; p < NP; p++) {                                                                                    \
      wasm_v128_store(out + p * outStride, lo[p]);                                                                    \
      wasm_v128_store(out + p * outStride + 4, hi[p]);                                                                \
    }                                                                                                                 \
  }
FORWARD_TILE(4)
FORWARD_TILE(1)

/*
 * out[row][x][f] for output image rows row = b·outH + y in [rowStart, rowEnd).
 * xp: padded input [B][Hp][Wp][C]; wpack: [Fp/FT][KH][KW·C][FT]; out: [B·outH·outW][Fp].
 */
EXPORT(conv_forward)
void conv_forward(const float *xp, const float *wpack, float *out, int Hp, int Wp, int C, int KH, int KW, int sh,
                  int sw, int outH, int outW, int Fp, int rowStart, int rowEnd) {
  const int kwc = KW * C, rowStride = Wp * C, xstep = sw * C;
  for (int row = rowStart; row < rowEnd; row++) {
    const int b = row / outH, y = row - b * outH;
    const float *xrow = xp + (b * Hp + y * sh) * rowStride;
    float *orow = out + row * outW * Fp;
    for (int ft = 0; ft < Fp; ft += FT) {
      const float *w = wpack + ft * KH * kwc;
      int x = 0;
      for (; x + PT <= outW; x += PT) forward_tile_4(xrow + x * xstep, xstep, rowStride, w, KH, kwc, orow + x * Fp + ft, Fp);
      for (; x < outW; x++) forward_tile_1(xrow + x * xstep, xstep, rowStride, w, KH, kwc, orow + x * Fp + ft, Fp);
    }
  }
}

/*
 * Winograd F(m, r) for convolutions with one filter row and stride 1 (Conv1D): a tile of m outputs
 * of a row comes from α = m + r − 1 inputs d as y = Aᵀ[(G g) ⊙ (Bᵀ d)], summed over channels, so it
 * costs α products per channel pair instead of m·r (text-cnn, r = 5 and m = 4: 8 instead of 20).
 * The channel sums are α matrix products [tiles × C]·[C × Fp] on the register tile above; the
 * transforms around them are small. Bᵀ (α×α), Aᵀ (m×α) and G (α×r) come from the caller
 * (winograd.ts), which also checks that the rounding stays within float tolerance.
 */
/* Tiles of 8 inputs (winograd.ts: WINOGRAD_ALPHA). A constant, so the per-tile arrays below stay
 * in registers: indexed by a run-time bound they would live on the stack in linear memory. */
#define ALPHA 8

/*
 * U = G g for every channel pair: w [r][C][Fp] (zeros past F) → U [α][Fp/FT][C][FT], the packed
 * panels the product reads.
 */
EXPORT(winograd_filters)
void winograd_filters(const float *w, const float *G, float *U, int r, int C, int Fp) {
  for (int xi = 0; xi < ALPHA; xi++) {
    for (int ft = 0; ft < Fp; ft += FT) {
      float *panel = U + (xi * (Fp / FT) + ft / FT) * C * FT;
      for (int c = 0; c < C; c++) {
        v128_t lo = wasm_f32x4_splat(0.0f), hi = lo;
        for (int k = 0; k < r; k++) {
          const v128_t g = wasm_f32x4_splat(G[xi * r + k]);
          const float *src = w + (k * C + c) * Fp + ft;
          lo = madd(lo, g, wasm_v128_load(src));
          hi = madd(hi, g, wasm_v128_load(src + 4));
        }
        wasm_v128_store(panel + c * FT, lo);
        wasm_v128_store(panel + c * FT + 4, hi);
      }
    }
  }
}

/*
 * out[row][x][f] for output rows row = b·outH + y in [start, end), as conv_forward computes it
 * for KH = 1 and stride 1. xp rows must reach (tiles − 1)·m + α columns (tiles = ⌈outW / m⌉),
 * C a multiple of 4. `scratch` holds α·⌈tiles/4⌉·4·(C + Fp) floats, one per thread.
 */
EXPORT(conv1d_winograd)
void conv1d_winograd(const float *xp, const float *U, const float *BT, const float *AT, float *out, float *scratch,
                     int Hp, int Wp, int C, int sh, int outH, int outW, int Fp, int m, int start, int end) {
  /* The products run over whole register tiles of PT tiles: the padding tiles' rows hold stale
   * scratch, and their results are never read. */
  const int tiles = (outW + m - 1) / m, padded = (tiles + PT - 1) / PT * PT, rowStride = Wp * C;
  float *V = scratch, *M = scratch + ALPHA * padded * C;
  for (int row = start; row < end; row++) {
    const int b = row / outH, y = row - b * outH;
    const float *xr = xp + (b * Hp + y * sh) * rowStride;
    float *orow = out + row * outW * Fp;
    /* V[ξ][t][c] = Σ_j Bᵀ[ξ][j] · d_t[j][c]. */
    for (int t = 0; t < tiles; t++) {
      const float *d = xr + t * m * C;
      for (int c = 0; c < C; c += 4) {
        v128_t dj[ALPHA];
        for (int j = 0; j < ALPHA; j++) dj[j] = wasm_v128_load(d + j * C + c);
        for (int xi = 0; xi < ALPHA; xi++) {
          v128_t acc = wasm_f32x4_splat(0.0f);
          for (int j = 0; j < ALPHA; j++) acc = madd(acc, wasm_v128_load32_splat(BT + xi * ALPHA + j), dj[j]);
          wasm_v128_store(V + (xi * padded + t) * C + c, acc);
        }
      }
    }
    /* M[ξ] = V[ξ] · U[ξ]: tiles × Fp, summed over the C channels. */
    for (int xi = 0; xi < ALPHA; xi++) {
      const float *v = V + xi * padded * C;
      float *mx = M + xi * padded * Fp;
      for (int ft = 0; ft < Fp; ft += FT) {
        const float *u = U + (xi * (Fp / FT) + ft / FT) * C * FT;
        for (int t = 0; t < padded; t += PT) forward_tile_4(v + t * C, C, 0, u, 1, C, mx + t * Fp + ft, Fp);
      }
    }
    /* y[t·m + i][f] = Σ_ξ Aᵀ[i][ξ] · M[ξ][t][f], for outputs inside the row. */
    for (int t = 0; t < tiles; t++) {
      const int count = outW - t * m < m ? outW - t * m : m;
      for (int f = 0; f < Fp; f += 4) {
        v128_t mx[ALPHA];
        for (int xi = 0; xi < ALPHA; xi++) mx[xi] = wasm_v128_load(M + (xi * padded + t) * Fp + f);
        for (int i = 0; i < count; i++) {
          v128_t acc = wasm_f32x4_splat(0.0f);
          for (int xi = 0; xi < ALPHA; xi++) acc = madd(acc, wasm_v128_load32_splat(AT + i * ALPHA + xi), mx[xi]);
          wasm_v128_store(orow + (t * m + i) * Fp + f, acc);
        }
      }
    }
  }
}

/* Zeros n floats (memory.fill: faster than filling a shared buffer from JS). */
EXPORT(conv_zero)
void conv_zero(float *p, int n) { __builtin_memset(p, 0, (unsigned long)n * sizeof(float)); }

/*
 * How many of each dy row's F values are nonzero (rows = output pixels, `stride` floats apart). Both gradients use it
 * to skip zero rows and to take a per-element path for sparse ones: after ReLU and a global
 * max pool, a text-cnn dy row has at most a few nonzeros (one time step per sample and filter).
 */
EXPORT(conv_row_nonzeros)
void conv_row_nonzeros(const float *dy, int rows, int F, int stride, int *counts) {
  for (int r = 0; r < rows; r++) {
    const float *d = dy + r * stride;
    int n = 0;
    for (int f = 0; f < F; f++) n += d[f] != 0.0f;
    counts[r] = n;
  }
}

/* A row is handled element by element when at most a quarter of it is nonzero. */
static inline int is_sparse(int nonzeros, int F) { return nonzeros * 4 <= F; }

/* dst[j] += a · src[j] for j < n (n a multiple of 4). */
static inline void axpy(float *dst, const float *src, float a, int n) {
  v128_t s = wasm_f32x4_splat(a);
  for (int j = 0; j < n; j += 4) wasm_v128_store(dst + j, madd(wasm_v128_load(dst + j), s, wasm_v128_load(src + j)));
}

/*
 * Input gradient of NP consecutive dense pixels: for each filter row kh and 8 (then 4) window
 * columns j at a time, acc[q] = Σ_f dy[q][f] · wt[kh][f][j..], then added into pixel q's window.
 * Windows of neighbouring pixels overlap, so the adds go one pixel at a time after the sums.
 */
#define INPUT_TILE(NP)                                                                                                \
  static inline void input_tile_##NP(const float *d, int F, const float *wt, int kwcp, int KH, float *dst, int xstep, \
                                     int rowStride) {                                                                 \
    for (int h = 0; h < KH; h++) {                                                                                    \
      const float *w = wt + h * F * kwcp;                                                                             \
      float *o = dst + h * rowStride;                                                                                 \
      int j = 0;                                                                                                      \
      for (; j + 8 <= kwcp; j += 8) {                                                                                 \
        v128_t lo[NP], hi[NP];                                                                                        \
        for (int q = 0; q < NP; q++) lo[q] = hi[q] = wasm_f32x4_splat(0.0f);                                         \
        for (int f = 0; f < F; f++) {                                                                                 \
          v128_t w0 = wasm_v128_load(w + f * kwcp + j), w1 = wasm_v128_load(w + f * kwcp + j + 4);                    \
          for (int q = 0; q < NP; q++) {                                                                              \
            v128_t s = wasm_v128_load32_splat(d + q * F + f);                                                         \
            lo[q] = madd(lo[q], s, w0);                                                                               \
            hi[q] = madd(hi[q], s, w1);                                                                               \
          }                                                                                                           \
        }                                                                                                             \
        for (int q = 0; q < NP; q++) {                                                                                \
          float *t = o + q * xstep + j;                                                                               \
          wasm_v128_store(t, wasm_f32x4_add(wasm_v128_load(t), lo[q]));                                               \
          wasm_v128_store(t + 4, wasm_f32x4_add(wasm_v128_load(t + 4), hi[q]));                                       \
        }                                                                                                             \
      }                                                                                                               \
      if (j < kwcp) {                                                                                                 \
        v128_t lo[NP];                                                                                                \
        for (int q = 0; q < NP; q++) lo[q] = wasm_f32x4_splat(0.0f);                                                 \
        for (int f = 0; f < F; f++) {                                                                                 \
          v128_t w0 = wasm_v128_load(w + f * kwcp + j);                                                               \
          for (int q = 0; q < NP; q++) lo[q] = madd(lo[q], wasm_v128_load32_splat(d + q * F + f), w0);               \
        }                                                                                                             \
        for (int q = 0; q < NP; q++) {                                                                                \
          float *t = o + q * xstep + j;                                                                               \
          wasm_v128_store(t, wasm_f32x4_add(wasm_v128_load(t), lo[q]));                                               \
        }                                                                                                             \
      }                                                                                                               \
    }                                                                                                                 \
  }
INPUT_TILE(4)
INPUT_TILE(1)

/*
 * Input gradient for samples b in [bStart, bEnd): dxp[b][y·sh + kh][x·sw·C + j] += Σ_f dy[p][f] · wt[kh][f][j].
 * dxp (padded like xp, zeroed by the caller) is what the caller crops to dx. wt: [KH][F][kwcp], the
 * filter transposed with kw·C padded to kwcp (a multiple of 4) by zeros; the caller leaves 4 floats of
 * slack after dxp so the padded tail of the last window stays inside the buffer (it adds zeros).
 * counts: conv_row_nonzeros of dy. Samples never share dxp rows, so sample ranges can run in parallel.
 */
EXPORT(conv_backprop_input)
void conv_backprop_input(const float *dy, const float *wt, float *dxp, const int *counts, int Hp, int Wp, int C, int KH,
                         int KW, int sh, int sw, int outH, int outW, int F, int bStart, int bEnd) {
  const int kwcp = (KW * C + 3) & ~3, rowStride = Wp * C, xstep = sw * C;
  for (int b = bStart; b < bEnd; b++) {
    for (int y = 0; y < outH; y++) {
      float *drow = dxp + (b * Hp + y * sh) * rowStride;
      const int p0 = (b * outH + y) * outW;
      for (int x = 0; x < outW;) {
        const int p = p0 + x, n = counts[p];
        if (n == 0) {
          x++;
          continue;
        }
        const float *d = dy + p * F;
        if (is_sparse(n, F)) {
          for (int f = 0; f < F; f++) {
            if (d[f] == 0.0f) continue;
            for (int h = 0; h < KH; h++) axpy(drow + h * rowStride + x * xstep, wt + (h * F + f) * kwcp, d[f], kwcp);
          }
          x++;
          continue;
        }
        /* Dense: PT consecutive dense pixels share each loaded filter vector. */
        int np = 1;
        while (np < PT && x + np < outW && !is_sparse(counts[p + np], F)) np++;
        if (np == PT) {
          input_tile_4(d, F, wt, kwcp, KH, drow + x * xstep, xstep, rowStride);
        } else {
          np = 1;
          input_tile_1(d, F, wt, kwcp, KH, drow + x * xstep, xstep, rowStride);
        }
        x += np;
      }
    }
  }
}

/* Dense pixels per block of the filter-gradient product: their windows and dy rows stay in L1. */
#define PIXEL_BLOCK 64

/*
 * Filter gradient rows i = kh·kwcp + j in [iStart, iEnd) (multiples of 4):
 *   dw[kh][j][f] = Σ_pixels xp[window(p) + kh·rowStride + j] · dy[p][f].
 * Dense dy rows go through a register-blocked product into dw [KH·kwcp][Fp] (dy padded to Fp
 * columns by the caller); sparse rows add each nonzero's window into dwt [Fp][KH·kwcp] (the
 * transposed layout keeps that add contiguous), which is then folded into dw. Both are zeroed by
 * the caller. `dense` holds (window offset in xp, dy row offset) pairs of the dense pixels,
 * `sparse` the same for the sparse nonzero ones; the caller leaves 4 floats of slack after xp (a
 * window's padded tail is read).
 */
EXPORT(conv_backprop_filter)
void conv_backprop_filter(const float *xp, const float *dy, float *dw, float *dwt, const int *dense, int ndense,
                          const int *sparse, int nsparse, int Wp, int C, int KH, int KW, int F, int Fp, int iStart,
                          int iEnd) {
  const int kwcp = (KW * C + 3) & ~3, rowStride = Wp * C, rows = KH * kwcp;
  /* Dense pixels: 4 gradient rows × FT filters per register tile, a block of pixels at a time. */
  for (int k0 = 0; k0 < ndense; k0 += PIXEL_BLOCK) {
    const int k1 = k0 + PIXEL_BLOCK < ndense ? k0 + PIXEL_BLOCK : ndense;
    for (int i0 = iStart; i0 < iEnd; i0 += 4) {
      const int h = i0 / kwcp, j0 = i0 - h * kwcp + h * rowStride;
      for (int ft = 0; ft < Fp; ft += FT) {
        float *o = dw + i0 * Fp + ft;
        v128_t lo[4], hi[4];
        for (int r = 0; r < 4; r++) {
          lo[r] = wasm_v128_load(o + r * Fp);
          hi[r] = wasm_v128_load(o + r * Fp + 4);
        }
        for (int k = k0; k < k1; k++) {
          const float *xw = xp + dense[2 * k] + j0;
          const float *d = dy + dense[2 * k + 1] + ft;
          const v128_t d0 = wasm_v128_load(d), d1 = wasm_v128_load(d + 4);
          for (int r = 0; r < 4; r++) {
            const v128_t s = wasm_v128_load32_splat(xw + r);
            lo[r] = madd(lo[r], s, d0);
            hi[r] = madd(hi[r], s, d1);
          }
        }
        for (int r = 0; r < 4; r++) {
          wasm_v128_store(o + r * Fp, lo[r]);
          wasm_v128_store(o + r * Fp + 4, hi[r]);
        }
      }
    }
  }
  /* Sparse pixels: each nonzero dy[p][f] adds its window, scaled, to dwt[f]. */
  for (int k = 0; k < nsparse; k++) {
    const float *xw = xp + sparse[2 * k];
    const float *d = dy + sparse[2 * k + 1];
    for (int f = 0; f < F; f++) {
      if (d[f] == 0.0f) continue;
      for (int h = 0; h < KH; h++) {
        const int lo = h * kwcp > iStart ? h * kwcp : iStart, hi = (h + 1) * kwcp < iEnd ? (h + 1) * kwcp : iEnd;
        if (lo < hi) axpy(dwt + f * rows + lo, xw + h * rowStride + (lo - h * kwcp), d[f], hi - lo);
      }
    }
  }
  if (nsparse > 0)
    for (int i = iStart; i < iEnd; i++)
      for (int f = 0; f < F; f++) dw[i * Fp + f] += dwt[f * rows + i];
}
