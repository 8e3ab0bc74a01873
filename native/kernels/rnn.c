/*
 * Fused LSTM and GRU layers (forward and backward through time) with tfjs-layers' exact formulas:
 *
 *   LSTM: z = x·W + h·U + b, gates in the order i, f, c, o (W [in, 4u], U [u, 4u], b [4u]);
 *         i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o); c' = f·c + i·g; h' = o·tanh(c').
 *   GRU:  tfjs's reset-before variant (resetAfter is unsupported there), gates z, r, h:
 *         x̂ = x·W + b; a = h·U[:, :2u]; z = σ(x̂_z + a_z); r = σ(x̂_r + a_r);
 *         ĥ = tanh(x̂_h + (r·h)·U[:, 2u:]); h' = z·h + (1 − z)·ĥ.
 *
 * Every kernel works on a slice of the batch: `part` of `parts` (batch rows are independent, so
 * two threads take slices for the whole sequence and meet once per call). Inside a slice,
 * buffers are time-major in processing order (step s reads time T−1−s when going backwards), so
 * the rows of one step are contiguous for the recurrent products.
 *
 * The forward pass keeps what the backward pass needs in a workspace the caller hands back
 * unchanged: per slice, the activated gates [T, rows, G·u] (the backward pass overwrites them with
 * dZ), then for LSTM the cells [T, rows, u], then the outputs h [T, rows, u].
 *
 * The backward pass computes dZ for all steps (the only sequential part: dZ_s · Uᵀ per step), and
 * then the gradients as large products: [x | h_prev (| r·h_prev)]ᵀ · dZ for the weights, column
 * sums for the bias, dZ · Wᵀ (per step, written straight into dx). Weight and bias gradients are
 * per slice (the caller adds the slices up).
 */
#include "rnn-gemm.h"
#include "rnn-math.h"

#define EXPORT(name) __attribute__((export_name(#name)))

enum { CELL_LSTM = 0, CELL_GRU = 1 };

/* The call's arguments, written by the caller as consecutive int32 (pointers are byte offsets). */
typedef struct {
  int cell, batch, steps, in, units, backwards, sequences;
  const float *x;       /* [batch, steps, in] */
  const float *w;       /* [in, G·units] */
  const float *u;       /* [units, G·units] */
  const float *bias;    /* [G·units] */
  float *y;             /* [batch, steps, units] (sequences) or [batch, units] */
  float *ws;            /* rnn_workspace_floats */
  const float *dy;      /* like y */
  float *dx;            /* like x */
  float *dwu;           /* per slice [(in + units), G·units]: dW rows, then dU rows */
  float *db;            /* per slice [G·units] */
  float *scratch;       /* per slice rnn_scratch_floats */
} RnnArgs;

INLINE int gates_of(int cell) { return cell == CELL_LSTM ? 4 : 3; }
/* Floats per (row, step) in the workspace. */
INLINE int saved_per_step(int cell, int units) { return cell == CELL_LSTM ? 6 * units : 4 * units; }
INLINE int align4(int n) { return (n + 3) & ~3; }

/*
 * Batch rows [b0, b1) of slice `part` of `parts`: whole 4-row tiles (the product's micro-kernel
 * height), spread as evenly as possible; a slice may be empty when the batch is small.
 */
INLINE void slice_rows(int batch, int part, int parts, int *b0, int *b1) {
  int tiles = (batch + 3) / 4;
  int t0 = tiles * part / parts, t1 = tiles * (part + 1) / parts;
  *b0 = 4 * t0 < batch ? 4 * t0 : batch;
  *b1 = 4 * t1 < batch ? 4 * t1 : batch;
}

/* The most rows any slice gets. */
INLINE int max_slice_rows(int batch, int parts) {
  int most = 0;
  for (int p = 0; p < parts; p++) {
    int b0, b1;
    slice_rows(batch, p, parts, &b0, &b1);
    if (b1 - b0 > most) most = b1 - b0;
  }
  return most;
}

/* The workspace's size in floats for this call (independent of how the batch is sliced). */
EXPORT(rnn_workspace_floats)
int rnn_workspace_floats(int cell, int batch, int steps, int units) {
  return batch * steps * saved_per_step(cell, units);
}

/* Scratch floats each slice needs (sized for the largest), 16-byte aligned. */
EXPORT(rnn_scratch_floats)
int rnn_scratch_floats(int cell, int batch, int steps, int in, int units, int parts) {
  int rows = max_slice_rows(batch, parts), g = gates_of(cell) * units, h = units;
  int forward = cell == CELL_LSTM ? 0 : align4(rows * 2 * h) + 2 * align4(rows * h);
  int backward = align4(g * h) + align4(g * in) + 2 * align4(rows * h) + align4(steps * rows * (in + 2 * h));
  return forward > backward ? forward : backward;
}

/* One slice's view of the workspace. */
typedef struct {
  int b0, rows, g;
  float *gates, *cells, *hs;
} Slice;

static Slice slice_of(const RnnArgs *a, int part, int parts) {
  Slice s;
  int b1;
  slice_rows(a->batch, part, parts, &s.b0, &b1);
  s.rows = b1 - s.b0;
  s.g = gates_of(a->cell) * a->units;
  int T = a->steps, H = a->units;
  s.gates = a->ws + s.b0 * T * saved_per_step(a->cell, H);
  s.cells = s.gates + T * s.rows * s.g;
  s.hs = s.cells + (a->cell == CELL_LSTM ? T * s.rows * H : 0);
  return s;
}

INLINE int time_of(const RnnArgs *a, int s) { return a->backwards ? a->steps - 1 - s : s; }

/* Gate pre-activations from the inputs for every step: gates[s] = x[:, t(s)]·W (bias added later). */
static void input_projection(const RnnArgs *a, const Slice *sl) {
  int T = a->steps, E = a->in;
  for (int s = 0; s < T; s++) {
    const float *xs = a->x + (sl->b0 * T + time_of(a, s)) * E;
    gemm_nn(sl->rows, sl->g, E, xs, T * E, a->w, sl->g, sl->gates + s * sl->rows * sl->g, sl->g, 0);
  }
}

/* Copies the slice's h at step s into y (every step with `sequences`, else the last one). */
static void write_output(const RnnArgs *a, const Slice *sl, int s) {
  int T = a->steps, H = a->units;
  if (!a->sequences && s != T - 1) return;
  const float *h = sl->hs + s * sl->rows * H;
  for (int r = 0; r < sl->rows; r++) {
    float *dst = a->sequences ? a->y + ((sl->b0 + r) * T + s) * H : a->y + (sl->b0 + r) * H;
    for (int j = 0; j < H; j++) dst[j] = h[r * H + j];
  }
}

/* The upstream gradient of row r at step s, or 0 (no output at that step). */
INLINE const float *dy_row(const RnnArgs *a, const Slice *sl, int s, int r) {
  int T = a->steps, H = a->units;
  if (a->sequences) return a->dy + ((sl->b0 + r) * T + s) * H;
  return s == T - 1 ? a->dy + (sl->b0 + r) * H : 0;
}

static void zero(float *p, int n) {
  for (int i = 0; i < n; i++) p[i] = 0.0f;
}

/* Bias gradient of a slice: column sums of dZ [n, g]. */
static void column_sums(const float *dz, int n, int g, float *out) {
  zero(out, g);
  for (int i = 0; i < n; i++) {
    const float *row = dz + i * g;
    int j = 0;
    for (; j + 4 <= g; j += 4) wasm_v128_store(out + j, wasm_f32x4_add(wasm_v128_load(out + j), wasm_v128_load(row + j)));
    for (; j < g; j++) out[j] += row[j];
  }
}

/*
 * Row (s, r) of the weight-gradient left operand: [x(t(s)) | h_{s−1} | …] of width `width`; the
 * columns after in + units are the caller's (GRU's r·h_prev).
 */
static void gather_inputs_and_states(const RnnArgs *a, const Slice *sl, float *amat, int width) {
  int T = a->steps, E = a->in, H = a->units;
  for (int s = 0; s < T; s++) {
    const float *x = a->x + (sl->b0 * T + time_of(a, s)) * E;
    const float *hp = s > 0 ? sl->hs + (s - 1) * sl->rows * H : 0;
    for (int r = 0; r < sl->rows; r++) {
      float *row = amat + (s * sl->rows + r) * width;
      for (int j = 0; j < E; j++) row[j] = x[r * T * E + j];
      for (int j = 0; j < H; j++) row[E + j] = hp ? hp[r * H + j] : 0.0f;
    }
  }
}

/* dX for step s straight into dx's rows: dZ_s · Wᵀ. */
static void input_gradient(const RnnArgs *a, const Slice *sl, int s, const float *wt) {
  int T = a->steps, E = a->in;
  gemm_nn(sl->rows, E, sl->g, sl->gates + s * sl->rows * sl->g, sl->g, wt, E, a->dx + (sl->b0 * T + time_of(a, s)) * E, T * E, 0);
}

/* ---------------------------------------------------------------- LSTM */

static void lstm_cell_forward(int H, float *z, const float *bias, const float *cprev, float *c, float *h) {
  V zero4 = wasm_f32x4_splat(0.0f);
  for (int j = 0; j < H; j += 4) {
    int n = H - j < 4 ? H - j : 4;
    V i = v_sigmoid(wasm_f32x4_add(ld(z + j, n), ld(bias + j, n)));
    V f = v_sigmoid(wasm_f32x4_add(ld(z + H + j, n), ld(bias + H + j, n)));
    V g = v_tanh(wasm_f32x4_add(ld(z + 2 * H + j, n), ld(bias + 2 * H + j, n)));
    V o = v_sigmoid(wasm_f32x4_add(ld(z + 3 * H + j, n), ld(bias + 3 * H + j, n)));
    V cp = cprev ? ld(cprev + j, n) : zero4;
    V cn = wasm_f32x4_add(wasm_f32x4_mul(f, cp), wasm_f32x4_mul(i, g));
    st(z + j, i, n);
    st(z + H + j, f, n);
    st(z + 2 * H + j, g, n);
    st(z + 3 * H + j, o, n);
    st(c + j, cn, n);
    st(h + j, wasm_f32x4_mul(o, v_tanh(cn)), n);
  }
}

EXPORT(lstm_forward)
void lstm_forward(const RnnArgs *a, int part, int parts) {
  Slice sl = slice_of(a, part, parts);
  int T = a->steps, H = a->units, R = sl.rows, G = sl.g;
  if (R == 0) return;
  input_projection(a, &sl);
  for (int s = 0; s < T; s++) {
    float *z = sl.gates + s * R * G;
    const float *hp = s > 0 ? sl.hs + (s - 1) * R * H : 0;
    if (hp) gemm_nn(R, G, H, hp, H, a->u, G, z, G, 1);
    for (int r = 0; r < R; r++) {
      const float *cprev = s > 0 ? sl.cells + ((s - 1) * R + r) * H : 0;
      lstm_cell_forward(H, z + r * G, a->bias, cprev, sl.cells + (s * R + r) * H, sl.hs + (s * R + r) * H);
    }
    write_output(a, &sl, s);
  }
}

/* Turns row r's gates at step s into dZ; dh (in) is dL/dh_s from later steps, dc carries dL/dc back. */
static void lstm_cell_backward(int H, float *z, const float *c, const float *cprev, const float *dy, const float *dh, float *dc) {
  V one = wasm_f32x4_splat(1.0f), zero4 = wasm_f32x4_splat(0.0f);
  for (int j = 0; j < H; j += 4) {
    int n = H - j < 4 ? H - j : 4;
    V i = ld(z + j, n), f = ld(z + H + j, n), g = ld(z + 2 * H + j, n), o = ld(z + 3 * H + j, n);
    V tc = v_tanh(ld(c + j, n));
    V dhv = ld(dh + j, n);
    if (dy) dhv = wasm_f32x4_add(dhv, ld(dy + j, n));
    V dcv = wasm_f32x4_add(ld(dc + j, n), wasm_f32x4_mul(wasm_f32x4_mul(dhv, o), wasm_f32x4_sub(one, wasm_f32x4_mul(tc, tc))));
    V cp = cprev ? ld(cprev + j, n) : zero4;
    V dzi = wasm_f32x4_mul(wasm_f32x4_mul(dcv, g), wasm_f32x4_mul(i, wasm_f32x4_sub(one, i)));
    V dzf = wasm_f32x4_mul(wasm_f32x4_mul(dcv, cp), wasm_f32x4_mul(f, wasm_f32x4_sub(one, f)));
    V dzg = wasm_f32x4_mul(wasm_f32x4_mul(dcv, i), wasm_f32x4_sub(one, wasm_f32x4_mul(g, g)));
    V dzo = wasm_f32x4_mul(wasm_f32x4_mul(dhv, tc), wasm_f32x4_mul(o, wasm_f32x4_sub(one, o)));
    st(z + j, dzi, n);
    st(z + H + j, dzf, n);
    st(z + 2 * H + j, dzg, n);
    st(z + 3 * H + j, dzo, n);
    st(dc + j, wasm_f32x4_mul(dcv, f), n);
  }
}

EXPORT(lstm_backward)
void lstm_backward(const RnnArgs *a, int part, int parts) {
  Slice sl = slice_of(a, part, parts);
  int T = a->steps, E = a->in, H = a->units, R = sl.rows, G = sl.g;
  float *dwu = a->dwu + part * (E + H) * G, *db = a->db + part * G;
  if (R == 0) {
    zero(dwu, (E + H) * G);
    zero(db, G);
    return;
  }
  float *ut = a->scratch + part * rnn_scratch_floats(a->cell, a->batch, T, E, H, parts);
  float *wt = ut + align4(G * H), *dh = wt + align4(G * E), *dc = dh + align4(R * H), *amat = dc + align4(R * H);
  transpose(H, G, a->u, G, ut);
  transpose(E, G, a->w, G, wt);
  zero(dh, R * H);
  zero(dc, R * H);
  for (int s = T - 1; s >= 0; s--) {
    float *z = sl.gates + s * R * G;
    for (int r = 0; r < R; r++) {
      const float *cprev = s > 0 ? sl.cells + ((s - 1) * R + r) * H : 0;
      lstm_cell_backward(H, z + r * G, sl.cells + (s * R + r) * H, cprev, dy_row(a, &sl, s, r), dh + r * H, dc + r * H);
    }
    if (s > 0) gemm_nn(R, H, G, z, G, ut, H, dh, H, 0);
    input_gradient(a, &sl, s, wt);
  }
  column_sums(sl.gates, T * R, G, db);
  gather_inputs_and_states(a, &sl, amat, E + H);
  gemm_tn(E + H, G, T * R, amat, E + H, sl.gates, G, dwu, G, 0);
}

/* ---------------------------------------------------------------- GRU */

EXPORT(gru_forward)
void gru_forward(const RnnArgs *a, int part, int parts) {
  Slice sl = slice_of(a, part, parts);
  int T = a->steps, H = a->units, R = sl.rows, G = sl.g;
  if (R == 0) return;
  float *zr = a->scratch + part * rnn_scratch_floats(a->cell, a->batch, T, a->in, H, parts);
  float *rh = zr + align4(R * 2 * H), *hr = rh + align4(R * H);
  const float *bias = a->bias;
  V one = wasm_f32x4_splat(1.0f), zero4 = wasm_f32x4_splat(0.0f);
  input_projection(a, &sl);
  for (int s = 0; s < T; s++) {
    float *z = sl.gates + s * R * G;
    const float *hp = s > 0 ? sl.hs + (s - 1) * R * H : 0;
    if (hp) gemm_nn(R, 2 * H, H, hp, H, a->u, G, zr, 2 * H, 0);
    for (int r = 0; r < R; r++) {
      float *zrow = z + r * G;
      for (int j = 0; j < H; j += 4) {
        int n = H - j < 4 ? H - j : 4;
        V xz = wasm_f32x4_add(ld(zrow + j, n), ld(bias + j, n));
        V xr = wasm_f32x4_add(ld(zrow + H + j, n), ld(bias + H + j, n));
        if (hp) {
          xz = wasm_f32x4_add(xz, ld(zr + r * 2 * H + j, n));
          xr = wasm_f32x4_add(xr, ld(zr + r * 2 * H + H + j, n));
        }
        V zg = v_sigmoid(xz), rg = v_sigmoid(xr);
        st(zrow + j, zg, n);
        st(zrow + H + j, rg, n);
        if (hp) st(rh + r * H + j, wasm_f32x4_mul(rg, ld(hp + r * H + j, n)), n);
      }
    }
    if (hp) gemm_nn(R, H, H, rh, H, a->u + 2 * H, G, hr, H, 0);
    for (int r = 0; r < R; r++) {
      float *zrow = z + r * G, *h = sl.hs + (s * R + r) * H;
      for (int j = 0; j < H; j += 4) {
        int n = H - j < 4 ? H - j : 4;
        V xh = wasm_f32x4_add(ld(zrow + 2 * H + j, n), ld(bias + 2 * H + j, n));
        if (hp) xh = wasm_f32x4_add(xh, ld(hr + r * H + j, n));
        V hh = v_tanh(xh), zg = ld(zrow + j, n);
        V hpv = hp ? ld(hp + r * H + j, n) : zero4;
        st(zrow + 2 * H + j, hh, n);
        st(h + j, wasm_f32x4_add(wasm_f32x4_mul(zg, hpv), wasm_f32x4_mul(wasm_f32x4_sub(one, zg), hh)), n);
      }
    }
    write_output(a, &sl, s);
  }
}

EXPORT(gru_backward)
void gru_backward(const RnnArgs *a, int part, int parts) {
  Slice sl = slice_of(a, part, parts);
  int T = a->steps, E = a->in, H = a->units, R = sl.rows, G = sl.g, W = E + 2 * H;
  float *dwu = a->dwu + part * (E + H) * G, *db = a->db + part * G;
  if (R == 0) {
    zero(dwu, (E + H) * G);
    zero(db, G);
    return;
  }
  /* rk1t = U[:, :2u]ᵀ [2u, u], rk2t = U[:, 2u:]ᵀ [u, u], then Wᵀ, dh, d(r·h), and the weight-gradient operand. */
  float *rk1t = a->scratch + part * rnn_scratch_floats(a->cell, a->batch, T, E, H, parts);
  float *rk2t = rk1t + 2 * H * H, *wt = rk1t + align4(G * H), *dh = wt + align4(G * E), *drh = dh + align4(R * H), *amat = drh + align4(R * H);
  transpose(H, 2 * H, a->u, G, rk1t);
  transpose(H, H, a->u + 2 * H, G, rk2t);
  transpose(E, G, a->w, G, wt);
  zero(dh, R * H);
  V one = wasm_f32x4_splat(1.0f), zero4 = wasm_f32x4_splat(0.0f);
  for (int s = T - 1; s >= 0; s--) {
    float *z = sl.gates + s * R * G;
    const float *hp = s > 0 ? sl.hs + (s - 1) * R * H : 0;
    /* dZ for the z and ĥ gates, the direct part of dh_prev, and r·h_prev for U[:, 2u:]'s gradient. */
    for (int r = 0; r < R; r++) {
      float *zrow = z + r * G, *dhr = dh + r * H, *rhrow = amat + (s * R + r) * W + E + H;
      const float *dyr = dy_row(a, &sl, s, r);
      for (int j = 0; j < H; j += 4) {
        int n = H - j < 4 ? H - j : 4;
        V dhv = ld(dhr + j, n);
        if (dyr) dhv = wasm_f32x4_add(dhv, ld(dyr + j, n));
        V zg = ld(zrow + j, n), rg = ld(zrow + H + j, n), hh = ld(zrow + 2 * H + j, n);
        V hpv = hp ? ld(hp + r * H + j, n) : zero4;
        V dzg = wasm_f32x4_mul(dhv, wasm_f32x4_sub(hpv, hh));
        V dhh = wasm_f32x4_mul(dhv, wasm_f32x4_sub(one, zg));
        st(zrow + j, wasm_f32x4_mul(dzg, wasm_f32x4_mul(zg, wasm_f32x4_sub(one, zg))), n);
        st(zrow + 2 * H + j, wasm_f32x4_mul(dhh, wasm_f32x4_sub(one, wasm_f32x4_mul(hh, hh))), n);
        st(dhr + j, wasm_f32x4_mul(dhv, zg), n);
        st(rhrow + j, wasm_f32x4_mul(rg, hpv), n);
      }
    }
    if (hp) {
      /* d(r·h_prev) = dZ_ĥ · U[:, 2u:]ᵀ gives dZ_r and another part of dh_prev; then dZ_{z,r} · U[:, :2u]ᵀ. */
      gemm_nn(R, H, H, z + 2 * H, G, rk2t, H, drh, H, 0);
      for (int r = 0; r < R; r++) {
        float *zrow = z + r * G, *dhr = dh + r * H;
        const float *d = drh + r * H, *hpr = hp + r * H;
        for (int j = 0; j < H; j += 4) {
          int n = H - j < 4 ? H - j : 4;
          V dv = ld(d + j, n), rg = ld(zrow + H + j, n);
          V dr = wasm_f32x4_mul(dv, ld(hpr + j, n));
          st(zrow + H + j, wasm_f32x4_mul(dr, wasm_f32x4_mul(rg, wasm_f32x4_sub(one, rg))), n);
          st(dhr + j, wasm_f32x4_add(ld(dhr + j, n), wasm_f32x4_mul(dv, rg)), n);
        }
      }
      gemm_nn(R, H, 2 * H, z, G, rk1t, H, dh, H, 1);
    } else {
      /* h_{-1} = 0: r does not matter at the first step. */
      for (int r = 0; r < R; r++) zero(z + r * G + H, H);
    }
    input_gradient(a, &sl, s, wt);
  }
  column_sums(sl.gates, T * R, G, db);
  gather_inputs_and_states(a, &sl, amat, W);
  const float *dz = sl.gates;
  /* [x | h_prev]ᵀ · dZ_{z,r} → dW[:, :2u] and dU[:, :2u]; xᵀ · dZ_ĥ → dW[:, 2u:]; (r·h_prev)ᵀ · dZ_ĥ → dU[:, 2u:]. */
  gemm_tn(E + H, 2 * H, T * R, amat, W, dz, G, dwu, G, 0);
  gemm_tn(E, H, T * R, amat, W, dz + 2 * H, G, dwu + 2 * H, G, 0);
  gemm_tn(H, H, T * R, amat + E + H, W, dz + 2 * H, G, dwu + E * G + 2 * H, G, 0);
}

/* ---------------------------------------------------------------- measuring */

/* C = A·B ([M×K]·[K×N]) `reps` times, for the GFLOP/s figures in the tests and the bench. */
EXPORT(gemm_nn_bench)
void gemm_nn_bench(int M, int N, int K, const float *A, const float *B, float *C, int reps) {
  for (int i = 0; i < reps; i++) gemm_nn(M, N, K, A, K, B, N, C, N, 0);
}

/* C = Aᵀ·B ([K×M]ᵀ·[K×N]) `reps` times. */
EXPORT(gemm_tn_bench)
void gemm_tn_bench(int M, int N, int K, const float *A, const float *B, float *C, int reps) {
  for (int i = 0; i < reps; i++) gemm_tn(M, N, K, A, M, B, N, C, N, 0);
}
