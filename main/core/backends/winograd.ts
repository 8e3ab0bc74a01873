/**
 * Winograd (Toom-Cook) transforms for a 1-D correlation F(m, r): m outputs of an r-tap filter
 * from α = m + r − 1 inputs d as y = Aᵀ[(G g) ⊙ (Bᵀ d)] (Lavin & Gray, "Fast Algorithms for
 * Convolutional Neural Networks", 2016). Built from the interpolation points below: the linear
 * convolution h = f·g of polynomials is C[(A_f f) ⊙ (G g)], with A_f and G evaluating at the points
 * (∞ taking the leading coefficient) and C interpolating back; correlation is its transpose, so
 * Aᵀ = A_fᵀ and Bᵀ = Cᵀ. Computed in double, used in float32 (native/kernels/conv.c).
 */

/** Small, exactly representable points keep the transforms' rounding error low. */
const POINTS = [0, 1, -1, 2, -2, 0.5, -0.5];
/**
 * The tile: 8 inputs (conv.c's ALPHA, a compile-time constant there). More points (±4, ±1/4…)
 * grow the rounding error past float tolerance.
 */
export const WINOGRAD_ALPHA = 8;

export interface WinogradPlan {
  m: number;
  r: number;
  alpha: number;
  /** Aᵀ [m][α], G [α][r], Bᵀ [α][α], row-major. */
  AT: Float32Array;
  G: Float32Array;
  BT: Float32Array;
}

/** Rows: the α − 1 points raised to powers 0..n−1, then the point at infinity (the leading coefficient). */
function evaluation(alpha: number, n: number): number[][] {
  const rows = POINTS.slice(0, alpha - 1).map((p) => Array.from({ length: n }, (_, i) => p ** i));
  rows.push(Array.from({ length: n }, (_, i) => (i === n - 1 ? 1 : 0)));
  return rows;
}

/** Inverse of a small square matrix (Gauss-Jordan with partial pivoting). */
function inverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    const p = m[col][col];
    for (let j = 0; j < 2 * n; j++) m[col][j] /= p;
    for (let r = 0; r < n; r++) {
      if (r === col || m[r][col] === 0) continue;
      const f = m[r][col];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[col][j];
    }
  }
  return m.map((row) => row.slice(n));
}

const transpose = (a: number[][]) => a[0].map((_, j) => a.map((row) => row[j]));
const flat = (a: number[][]) => Float32Array.from(a.flat());

const plans = new Map<number, WinogradPlan | null>();

/** The plan for r-tap filters, or null when a tile of 8 inputs would give fewer than 2 outputs (r > 7). */
export function winogradPlan(r: number): WinogradPlan | null {
  if (plans.has(r)) return plans.get(r)!;
  const alpha = WINOGRAD_ALPHA;
  const m = alpha - r + 1;
  let plan: WinogradPlan | null = null;
  if (r >= 2 && m >= 2) {
    const interpolate = inverse(evaluation(alpha, alpha));
    plan = { m, r, alpha, AT: flat(transpose(evaluation(alpha, m))), G: flat(evaluation(alpha, r)), BT: flat(transpose(interpolate)) };
  }
  plans.set(r, plan);
  return plan;
}
