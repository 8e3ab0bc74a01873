/*
 * One whole training step of a stack of dense layers (the table models: tabular-mlp and
 * tabular-linear) in one call: forward, loss, backward, and the Adam or momentum update.
 * These models are so small that a framework's per-operation cost (about 200 kernel calls a
 * step) outweighs their arithmetic; here a step is one call. The math is tfjs's, operation for
 * operation (losses.js, metrics.js, adam_optimizer.js, momentum_optimizer.js), so a run
 * learns what the reference path learns.
 *
 * Layout: every buffer is given by the caller (the TypeScript side owns the memory). Kernels
 * are [in, out] row-major, as tfjs stores a Dense layer's kernel.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define MAXL 8

/* exp and log from the host (Math.exp, Math.log): used only on the output layer. */
__attribute__((import_module("env"), import_name("exp"))) double host_exp(double);
__attribute__((import_module("env"), import_name("log"))) double host_log(double);

enum { OUT_SIGMOID_BCE = 0, OUT_SOFTMAX_CCE = 1, OUT_LINEAR_MSE = 2 };
enum { OPT_ADAM = 0, OPT_MOMENTUM = 1 };

/* All fields are 4 bytes (wasm32), in this order: the TypeScript side writes them by index. */
typedef struct {
  int layers;
  int sizes[MAXL + 1];
  int out_kind;
  int dropout_before[MAXL]; /* nonzero: dropout on the input of layer l (training only) */
  float dropout_rate;
  unsigned int rng;         /* xorshift32 state for the dropout masks */
  float l1, l2;
  float *w[MAXL], *b[MAXL];
  float *gw[MAXL], *gb[MAXL];
  float *m_w[MAXL], *m_b[MAXL]; /* Adam's first moment, or the momentum accumulator */
  float *v_w[MAXL], *v_b[MAXL]; /* Adam's second moment */
  float *act[MAXL + 1];     /* act[0]: the (dropped-out) input; act[l+1]: layer l's output */
  float *delta[MAXL + 1];   /* gradient of the loss with respect to act[l] */
  float *mask[MAXL];
  const float *input;       /* the batch as given (act[0] is a copy only when dropped out) */
} Net;

typedef struct {
  int kind;                 /* OPT_ADAM or OPT_MOMENTUM */
  float lr, beta1, beta2, epsilon;
  float one_minus_acc_beta1, one_minus_acc_beta2; /* 1 - beta^t for this step */
  float momentum;
} Optimizer;

EXPORT(net_size) int net_size(void) { return sizeof(Net); }
EXPORT(optimizer_size) int optimizer_size(void) { return sizeof(Optimizer); }

/* out[r, n] = in[r, :] . w[:, n] + b[n]: four rows by eight columns at a time. */
static void affine(const float *in, const float *w, const float *b, float *out, int rows, int k, int n) {
  int r = 0;
  for (; r + 4 <= rows; r += 4) {
    const float *i0 = in + r * k, *i1 = i0 + k, *i2 = i1 + k, *i3 = i2 + k;
    int c = 0;
    for (; c + 8 <= n; c += 8) {
      v128_t bl = wasm_v128_load(b + c), bh = wasm_v128_load(b + c + 4);
      v128_t a0l = bl, a0h = bh, a1l = bl, a1h = bh, a2l = bl, a2h = bh, a3l = bl, a3h = bh;
      for (int j = 0; j < k; j++) {
        v128_t wl = wasm_v128_load(w + j * n + c), wh = wasm_v128_load(w + j * n + c + 4);
        v128_t x0 = wasm_f32x4_splat(i0[j]), x1 = wasm_f32x4_splat(i1[j]);
        v128_t x2 = wasm_f32x4_splat(i2[j]), x3 = wasm_f32x4_splat(i3[j]);
        a0l = wasm_f32x4_add(a0l, wasm_f32x4_mul(x0, wl)); a0h = wasm_f32x4_add(a0h, wasm_f32x4_mul(x0, wh));
        a1l = wasm_f32x4_add(a1l, wasm_f32x4_mul(x1, wl)); a1h = wasm_f32x4_add(a1h, wasm_f32x4_mul(x1, wh));
        a2l = wasm_f32x4_add(a2l, wasm_f32x4_mul(x2, wl)); a2h = wasm_f32x4_add(a2h, wasm_f32x4_mul(x2, wh));
        a3l = wasm_f32x4_add(a3l, wasm_f32x4_mul(x3, wl)); a3h = wasm_f32x4_add(a3h, wasm_f32x4_mul(x3, wh));
      }
      float *o = out + r * n + c;
      wasm_v128_store(o, a0l); wasm_v128_store(o + 4, a0h);
      wasm_v128_store(o + n, a1l); wasm_v128_store(o + n + 4, a1h);
      wasm_v128_store(o + 2 * n, a2l); wasm_v128_store(o + 2 * n + 4, a2h);
      wasm_v128_store(o + 3 * n, a3l); wasm_v128_store(o + 3 * n + 4, a3h);
    }
    for (; c < n; c++) {
      float s0 = b[c], s1 = b[c], s2 = b[c], s3 = b[c];
      for (int j = 0; j < k; j++) {
        float wj = w[j * n + c];
        s0 += i0[j] * wj; s1 += i1[j] * wj; s2 += i2[j] * wj; s3 += i3[j] * wj;
      }
      out[r * n + c] = s0; out[(r + 1) * n + c] = s1; out[(r + 2) * n + c] = s2; out[(r + 3) * n + c] = s3;
    }
  }
  for (; r < rows; r++) {
    const float *i0 = in + r * k;
    int c = 0;
    for (; c + 4 <= n; c += 4) {
      v128_t a = wasm_v128_load(b + c);
      for (int j = 0; j < k; j++) a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_f32x4_splat(i0[j]), wasm_v128_load(w + j * n + c)));
      wasm_v128_store(out + r * n + c, a);
    }
    for (; c < n; c++) {
      float s = b[c];
      for (int j = 0; j < k; j++) s += i0[j] * w[j * n + c];
      out[r * n + c] = s;
    }
  }
}

/* gw[j, c] = sum_r in[r, j] d[r, c]; gb[c] = sum_r d[r, c] (overwrites both). */
static void affine_grad_weights(const float *in, const float *d, float *gw, float *gb, int rows, int k, int n) {
  for (int i = 0; i < k * n; i++) gw[i] = 0.0f;
  for (int c = 0; c < n; c++) gb[c] = 0.0f;
  for (int r = 0; r < rows; r++) {
    const float *dr = d + r * n;
    const float *ir = in + r * k;
    int c = 0;
    for (; c + 4 <= n; c += 4) wasm_v128_store(gb + c, wasm_f32x4_add(wasm_v128_load(gb + c), wasm_v128_load(dr + c)));
    for (; c < n; c++) gb[c] += dr[c];
    for (int j = 0; j < k; j++) {
      float x = ir[j];
      if (x == 0.0f) continue; /* relu zeros and one-hot columns: nothing to add */
      v128_t xs = wasm_f32x4_splat(x);
      float *g = gw + j * n;
      c = 0;
      for (; c + 4 <= n; c += 4) wasm_v128_store(g + c, wasm_f32x4_add(wasm_v128_load(g + c), wasm_f32x4_mul(xs, wasm_v128_load(dr + c))));
      for (; c < n; c++) g[c] += x * dr[c];
    }
  }
}

/* d_in[r, j] = sum_c d[r, c] w[j, c]. */
static void affine_grad_input(const float *d, const float *w, float *d_in, int rows, int k, int n) {
  for (int r = 0; r < rows; r++) {
    const float *dr = d + r * n;
    for (int j = 0; j < k; j++) {
      const float *wj = w + j * n;
      v128_t acc = wasm_f32x4_splat(0.0f);
      int c = 0;
      for (; c + 4 <= n; c += 4) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(dr + c), wasm_v128_load(wj + c)));
      float s = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) + wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3);
      for (; c < n; c++) s += dr[c] * wj[c];
      d_in[r * k + j] = s;
    }
  }
}

static float next_uniform(Net *net) {
  unsigned int x = net->rng;
  x ^= x << 13; x ^= x >> 17; x ^= x << 5;
  net->rng = x;
  return (float)(x >> 8) * (1.0f / 16777216.0f);
}

/* Dropout as tfjs applies it at training time: keep with probability 1 - rate, scaled by 1 / (1 - rate). */
static void dropout(Net *net, int l, const float *in, float *out, int count) {
  float keep = 1.0f - net->dropout_rate, scale = 1.0f / keep;
  float *mask = net->mask[l];
  for (int i = 0; i < count; i++) {
    mask[i] = next_uniform(net) < keep ? scale : 0.0f;
    out[i] = in[i] * mask[i];
  }
}

/* Forward through every layer; `training` applies dropout. Leaves the output in act[layers]. */
static void forward(Net *net, const float *x, int rows, int training) {
  const float *in = x;
  for (int l = 0; l < net->layers; l++) {
    int k = net->sizes[l], n = net->sizes[l + 1];
    if (training && net->dropout_before[l] && net->dropout_rate > 0.0f) {
      dropout(net, l, in, net->act[l], rows * k);
      in = net->act[l];
    }
    float *out = net->act[l + 1];
    affine(in, net->w[l], net->b[l], out, rows, k, n);
    if (l < net->layers - 1) {
      v128_t zero = wasm_f32x4_splat(0.0f);
      int i = 0;
      for (; i + 4 <= rows * n; i += 4) wasm_v128_store(out + i, wasm_f32x4_max(wasm_v128_load(out + i), zero));
      for (; i < rows * n; i++) out[i] = out[i] > 0.0f ? out[i] : 0.0f;
    }
    /* What layer l + 1 reads: this output, unless it is dropped out first (then act[l + 1] is rewritten in place). */
    in = out;
  }
  int n = net->sizes[net->layers];
  float *p = net->act[net->layers];
  if (net->out_kind == OUT_SIGMOID_BCE) {
    for (int i = 0; i < rows * n; i++) p[i] = (float)(1.0 / (1.0 + host_exp(-(double)p[i])));
  } else if (net->out_kind == OUT_SOFTMAX_CCE) {
    for (int r = 0; r < rows; r++) {
      float *pr = p + r * n, max = pr[0], sum = 0.0f;
      for (int c = 1; c < n; c++) max = pr[c] > max ? pr[c] : max;
      for (int c = 0; c < n; c++) sum += (pr[c] = (float)host_exp((double)(pr[c] - max)));
      for (int c = 0; c < n; c++) pr[c] /= sum;
    }
  }
}

#define EPSILON 1e-7f
static float clip(float p) { return p < EPSILON ? EPSILON : p > 1.0f - EPSILON ? 1.0f - EPSILON : p; }

/*
 * Per-row loss and metric (tfjs: binaryCrossentropy/binaryAccuracy, categoricalCrossentropy/
 * categoricalAccuracy, meanSquaredError/meanAbsoluteError), summed over rows with the sample
 * weights for the loss; with `d`, also the gradient of the weighted mean loss at the output's
 * pre-activation (the clip stops the gradient, as tfjs's clipByValue does). The mean is over
 * `batch_rows`: these `rows` may be one part of a batch.
 */
static void loss_and_grad(Net *net, const float *y, const float *sw, int rows, int batch_rows, float *d, float *stats) {
  int n = net->sizes[net->layers];
  const float *p = net->act[net->layers];
  double loss_sum = 0.0, metric_sum = 0.0;
  for (int r = 0; r < rows; r++) {
    const float *pr = p + r * n, *yr = y + r * n;
    float weight = sw ? sw[r] : 1.0f, row_loss = 0.0f, row_metric = 0.0f;
    if (net->out_kind == OUT_SIGMOID_BCE) {
      for (int c = 0; c < n; c++) {
        float q = clip(pr[c]);
        float logit = (float)host_log((double)(q / (1.0f - q)));
        float relu = logit > 0.0f ? logit : 0.0f, abs = logit > 0.0f ? logit : -logit;
        row_loss += relu - logit * yr[c] + (float)host_log(1.0 + host_exp(-(double)abs));
        row_metric += ((pr[c] > 0.5f ? 1.0f : 0.0f) == yr[c]) ? 1.0f : 0.0f;
        if (d) d[r * n + c] = (pr[c] > EPSILON && pr[c] < 1.0f - EPSILON) ? weight * (pr[c] - yr[c]) / (float)(n * batch_rows) : 0.0f;
      }
      row_loss /= (float)n;
      row_metric /= (float)n;
    } else if (net->out_kind == OUT_SOFTMAX_CCE) {
      int arg_p = 0, arg_y = 0;
      float y_total = 0.0f;
      for (int c = 0; c < n; c++) {
        row_loss -= yr[c] * (float)host_log((double)clip(pr[c]));
        if (pr[c] > pr[arg_p]) arg_p = c;
        if (yr[c] > yr[arg_y]) arg_y = c;
        y_total += (pr[c] > EPSILON && pr[c] < 1.0f - EPSILON) ? yr[c] : 0.0f;
      }
      row_metric = arg_p == arg_y ? 1.0f : 0.0f;
      if (d) {
        for (int c = 0; c < n; c++) {
          float y_c = (pr[c] > EPSILON && pr[c] < 1.0f - EPSILON) ? yr[c] : 0.0f;
          d[r * n + c] = weight * (pr[c] * y_total - y_c) / (float)batch_rows;
        }
      }
    } else {
      for (int c = 0; c < n; c++) {
        float e = pr[c] - yr[c];
        row_loss += e * e;
        row_metric += e > 0.0f ? e : -e;
        if (d) d[r * n + c] = weight * 2.0f * e / (float)(n * batch_rows);
      }
      row_loss /= (float)n;
      row_metric /= (float)n;
    }
    loss_sum += (double)(row_loss * weight);
    metric_sum += (double)row_metric;
  }
  stats[0] = (float)loss_sum;
  stats[1] = (float)metric_sum;
}

/* tfjs's l1l2 regularizer on the kernels: l1 sum|w| + l2 sum w^2 (the loss term). */
static float penalty(Net *net) {
  if (net->l1 == 0.0f && net->l2 == 0.0f) return 0.0f;
  double total = 0.0;
  for (int l = 0; l < net->layers; l++) {
    const float *w = net->w[l];
    double a = 0.0, s = 0.0;
    for (int i = 0; i < net->sizes[l] * net->sizes[l + 1]; i++) { a += w[i] > 0.0f ? w[i] : -w[i]; s += (double)w[i] * w[i]; }
    total += net->l1 * a + net->l2 * s;
  }
  return (float)total;
}

/* Adam exactly as tfjs orders it; momentum (non-Nesterov) as tfjs's MomentumOptimizer. */
static void update(const Optimizer *o, float *value, float *g, float *m, float *v, int count) {
  if (o->kind == OPT_MOMENTUM) {
    v128_t mu = wasm_f32x4_splat(o->momentum), lr = wasm_f32x4_splat(o->lr);
    int i = 0;
    for (; i + 4 <= count; i += 4) {
      v128_t acc = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), mu), wasm_v128_load(g + i));
      wasm_v128_store(m + i, acc);
      wasm_v128_store(value + i, wasm_f32x4_sub(wasm_v128_load(value + i), wasm_f32x4_mul(acc, lr)));
    }
    for (; i < count; i++) { m[i] = m[i] * o->momentum + g[i]; value[i] -= m[i] * o->lr; }
    return;
  }
  v128_t b1 = wasm_f32x4_splat(o->beta1), b2 = wasm_f32x4_splat(o->beta2);
  v128_t c1 = wasm_f32x4_splat(1.0f - o->beta1), c2 = wasm_f32x4_splat(1.0f - o->beta2);
  v128_t k1 = wasm_f32x4_splat(o->one_minus_acc_beta1), k2 = wasm_f32x4_splat(o->one_minus_acc_beta2);
  v128_t eps = wasm_f32x4_splat(o->epsilon), neg_lr = wasm_f32x4_splat(-o->lr);
  int i = 0;
  for (; i + 4 <= count; i += 4) {
    v128_t gi = wasm_v128_load(g + i);
    v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), b1), wasm_f32x4_mul(gi, c1));
    v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), b2), wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), c2));
    wasm_v128_store(m + i, mi);
    wasm_v128_store(v + i, vi);
    v128_t step = wasm_f32x4_div(wasm_f32x4_div(mi, k1), wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_div(vi, k2)), eps));
    wasm_v128_store(value + i, wasm_f32x4_add(wasm_f32x4_mul(step, neg_lr), wasm_v128_load(value + i)));
  }
  for (; i < count; i++) {
    float mi = m[i] * o->beta1 + g[i] * (1.0f - o->beta1);
    float vi = v[i] * o->beta2 + (g[i] * g[i]) * (1.0f - o->beta2);
    m[i] = mi;
    v[i] = vi;
    value[i] = ((mi / o->one_minus_acc_beta1) / (__builtin_sqrtf(vi / o->one_minus_acc_beta2) + o->epsilon)) * -o->lr + value[i];
  }
}

/* Gradients of the loss for `rows` rows into gw and gb (overwritten), from delta[layers] back. */
static void backward(Net *net, const float *x, int rows) {
  for (int l = net->layers - 1; l >= 0; l--) {
    int k = net->sizes[l], n = net->sizes[l + 1];
    const float *in = (net->dropout_before[l] && net->dropout_rate > 0.0f) ? net->act[l] : (l == 0 ? x : net->act[l]);
    affine_grad_weights(in, net->delta[l + 1], net->gw[l], net->gb[l], rows, k, n);
    if (l > 0) {
      float *d_in = net->delta[l];
      affine_grad_input(net->delta[l + 1], net->w[l], d_in, rows, k, n);
      if (net->dropout_before[l] && net->dropout_rate > 0.0f) for (int i = 0; i < rows * k; i++) d_in[i] *= net->mask[l][i];
      /* Through the previous layer's relu: its output (before dropout) is act[l] only without dropout; the mask keeps zeros zero either way. */
      const float *a = net->act[l];
      for (int i = 0; i < rows * k; i++) if (a[i] <= 0.0f) d_in[i] = 0.0f;
    }
  }
}

/* stats[2] = the penalty before the update; the penalty's gradient joins gw; then the update. */
static void regularize_and_update(Net *net, const Optimizer *o, float *stats) {
  stats[2] = penalty(net);
  for (int l = 0; l < net->layers; l++) {
    int k = net->sizes[l], n = net->sizes[l + 1];
    if (net->l1 != 0.0f || net->l2 != 0.0f) {
      const float *w = net->w[l];
      float *g = net->gw[l];
      for (int i = 0; i < k * n; i++) g[i] += net->l1 * (w[i] > 0.0f ? 1.0f : w[i] < 0.0f ? -1.0f : 0.0f) + 2.0f * net->l2 * w[i];
    }
    update(o, net->w[l], net->gw[l], net->m_w[l], net->v_w[l], k * n);
    update(o, net->b[l], net->gb[l], net->m_b[l], net->v_b[l], n);
  }
}

/*
 * One training step on `rows` rows: x [rows, sizes[0]], y [rows, outputs], optional per-row
 * weights. stats[0] = the weighted loss summed over rows, stats[1] = the metric summed over
 * rows, stats[2] = the regularization penalty before the update (tfjs adds it to the loss).
 */
EXPORT(dense_train_step)
void dense_train_step(Net *net, const Optimizer *o, const float *x, const float *y, const float *sw, int rows, float *stats) {
  forward(net, x, rows, 1);
  loss_and_grad(net, y, sw, rows, rows, net->delta[net->layers], stats);
  backward(net, x, rows);
  regularize_and_update(net, o, stats);
}

/*
 * A big batch in parts, on both kernel threads: each part is a Net of its own (its activations,
 * gradients and dropout masks; the weights are shared) and takes rows [start, end) of the
 * `batch_rows`: forward, loss and backward into its own gw, gb and stats[0..1]. Then
 * dense_step_add folds each part into the first, in part order, and dense_step_update steps.
 */
EXPORT(dense_step_part)
void dense_step_part(const float *x, const float *y, const float *sw, int batch_rows, Net *part, float *stats, int start, int end) {
  int rows = end - start;
  const float *px = x + start * part->sizes[0];
  forward(part, px, rows, 1);
  loss_and_grad(part, y + start * part->sizes[part->layers], sw ? sw + start : 0, rows, batch_rows, part->delta[part->layers], stats);
  backward(part, px, rows);
}

/* into's gradients and stats[0..1] += from's. */
EXPORT(dense_step_add)
void dense_step_add(Net *into, const Net *from, float *into_stats, const float *from_stats) {
  for (int l = 0; l < into->layers; l++) {
    float *gw = into->gw[l], *gb = into->gb[l];
    const float *fw = from->gw[l], *fb = from->gb[l];
    int count = into->sizes[l] * into->sizes[l + 1], i = 0;
    for (; i + 4 <= count; i += 4) wasm_v128_store(gw + i, wasm_f32x4_add(wasm_v128_load(gw + i), wasm_v128_load(fw + i)));
    for (; i < count; i++) gw[i] += fw[i];
    for (int c = 0; c < into->sizes[l + 1]; c++) gb[c] += fb[c];
  }
  into_stats[0] += from_stats[0];
  into_stats[1] += from_stats[1];
}

EXPORT(dense_step_update)
void dense_step_update(Net *net, const Optimizer *o, float *stats) { regularize_and_update(net, o, stats); }

/* Loss and metric sums without training (validation): stats[0], stats[1] as above; no weights. */
EXPORT(dense_evaluate)
void dense_evaluate(Net *net, const float *x, const float *y, int rows, float *stats) {
  forward(net, x, rows, 0);
  loss_and_grad(net, y, 0, rows, rows, 0, stats);
  stats[2] = penalty(net);
}

/* Outputs (probabilities or numbers) for `rows` rows into `out`. */
EXPORT(dense_predict)
void dense_predict(Net *net, const float *x, int rows, float *out) {
  forward(net, x, rows, 0);
  int count = rows * net->sizes[net->layers];
  const float *p = net->act[net->layers];
  for (int i = 0; i < count; i++) out[i] = p[i];
}
