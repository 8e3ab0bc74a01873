/**
 * Conv2D and its two gradients on the app's SIMD kernels (native/kernels/conv.c), for the wasm
 * and cpu backends. tfjs runs Conv1D (text-cnn) as a Conv2D of height 1; the kernels take any
 * NHWC convolution with dilation 1. Each call copies its inputs into the kernel workspace in the
 * layout the kernels want (input zero-padded, filters packed), runs, and copies the result out.
 *
 * The gradients skip zero rows of dy and take single nonzeros one at a time, so after ReLU and a
 * global max pool (at most one time step per sample and filter is nonzero) they cost a fraction
 * of a dense product, and stay exact for any dy.
 */
import * as tf from '@tensorflow/tfjs';
import { runSplit, SHARED_PARTS } from '../native/kernel-split';
import { kernelWorkspace, type KernelWorkspace } from '../native/kernel-workspace';
import type { Attrs, KernelParams } from './kernel-types';
import { tensorIO } from './tensor-io';
import { winogradPlan, type WinogradPlan } from './winograd';

/** Filters per register tile in conv.c (FT): filters are padded to a multiple of it. */
const FILTER_TILE = 8;
const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;
/** Multiply-adds from which a call is shared by both threads (~50 µs of work; a hand-off costs ~10). */
const SHARE_MACS = 1 << 20;

/** Convolution geometry (output size, padding) from a kernel's attributes. */
export function convInfo(inShape: number[], filterShape: number[], attrs: Attrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as [number, number],
    (attrs.dilations as number | [number, number] | undefined) ?? 1,
    attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    false,
    tf.backend_util.convertConv2DDataFormat((attrs.dataFormat as 'NHWC' | 'NCHW' | undefined) ?? 'NHWC'),
  );
}

/** The kernels cover channels-last convolutions without dilation; anything else goes to the stock kernel. */
function covered(info: tf.backend_util.Conv2DInfo): boolean {
  return info.dataFormat === 'channelsLast' && info.dilationHeight === 1 && info.dilationWidth === 1;
}

/** The padded input's extent: exactly the rows and columns some window reads. */
interface Geometry {
  info: tf.backend_util.Conv2DInfo;
  Hp: number;
  Wp: number;
  /** One filter row's window length (KW·C), and that rounded up to whole vectors. */
  kwc: number;
  kwcp: number;
  /** Output pixels (B·outH·outW). */
  pixels: number;
}

function geometry(info: tf.backend_util.Conv2DInfo): Geometry {
  const Hp = (info.outHeight - 1) * info.strideHeight + info.filterHeight;
  const Wp = (info.outWidth - 1) * info.strideWidth + info.filterWidth;
  const kwc = info.filterWidth * info.inChannels;
  return { info, Hp, Wp, kwc, kwcp: roundUp(kwc, 4), pixels: info.batchSize * info.outHeight * info.outWidth };
}

/** Shared arguments of the three kernels after the buffers: Hp, Wp, C, KH, KW, sh, sw, outH, outW. */
function shapeArgs(g: Geometry): number[] {
  const { info } = g;
  return [g.Hp, g.Wp, info.inChannels, info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.outHeight, info.outWidth];
}

/** Zeros `count` floats at `offset` (memory.fill: a shared buffer's fill from JS is several times slower). */
function zero(ws: KernelWorkspace, offset: number, count: number): void {
  ws.fn('conv_zero')(offset, count);
}

/**
 * Copies x [B, H, W, C] into the workspace as xp [B, Hp, Wp, C], shifted by the top/left padding,
 * zeros around, plus `slack` zero floats after it (kernels read a window's padded tail).
 */
function padInput(ws: KernelWorkspace, g: Geometry, x: tf.TypedArray, slack: number): number {
  const { info, Hp, Wp } = g;
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rowFloats = Wp * C;
  const size = B * Hp * rowFloats;
  const at = ws.alloc(size + slack);
  // Columns of x that land inside a padded row (x col c sits at padded col c + left < Wp).
  const run = Math.max(0, Math.min(W, Wp - left)) * C;
  // When x's rows fill the padded rows (Conv1D: height 1), only the padding rows need zeros.
  const fullRows = run === rowFloats;
  zero(ws, fullRows ? at + size * 4 : at, fullRows ? slack : size + slack);
  const xp = ws.f32(at, size);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < Hp; i++) {
      const row = (b * Hp + i) * rowFloats;
      const r = i - top;
      if (r >= 0 && r < H && run > 0) {
        const from = (b * H + r) * W * C;
        xp.set(x.subarray(from, from + run), row + left * C);
      } else if (fullRows) {
        zero(ws, at + row * 4, rowFloats);
      }
    }
  }
  return at;
}

/**
 * The direct product: filters packed per tile of FT (wpack[tile][kh][j][FT], zeros past F), then
 * conv_forward over the output rows. Returns the output's offset ([pixels][Fp]).
 */
function forwardDirect(ws: KernelWorkspace, g: Geometry, x: tf.TypedArray, w: tf.TypedArray, Fp: number): number {
  const { filterHeight: KH, outChannels: F } = g.info;
  const xpAt = padInput(ws, g, x, 0);
  const rows = KH * g.kwc;
  const wAt = ws.alloc(Fp * rows);
  zero(ws, wAt, Fp * rows);
  const wpack = ws.f32(wAt, Fp * rows);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < F; f++) wpack[(Math.floor(f / FILTER_TILE) * rows + i) * FILTER_TILE + (f % FILTER_TILE)] = w[i * F + f];
  }
  const outAt = ws.alloc(g.pixels * Fp);
  runSplit(ws, 'conv_forward', [xpAt, wAt, outAt, ...shapeArgs(g), Fp], g.info.batchSize * g.info.outHeight, { share: g.pixels * Fp * rows >= SHARE_MACS });
  return outAt;
}

/**
 * Winograd F(4,5) needs 2.5x fewer products for Conv1D, but its rounding differs from the direct
 * sum's by ~1e-6 relative, which Adam's epsilon amplifies in weights whose gradient is nearly
 * zero and which flips near-tied max-pool choices: the loss curve stays within ~3e-3 of tfjs's,
 * single weights do not. Training must learn what the reference learns, so it is off unless
 * MODELPILOT_WINOGRAD=1 asks for the speed (about 2 ms of a 10 ms text-cnn step).
 */
let winogradOn = process.env.MODELPILOT_WINOGRAD === '1';

/** Turns the Winograd path on or off (`false`: every convolution takes the direct product). */
export function useWinograd(on: boolean): void {
  winogradOn = on;
}

/** The Winograd plan for this convolution, when it has one filter row, stride 1 and whole vectors of channels. */
function winogradFor(info: tf.backend_util.Conv2DInfo): WinogradPlan | null {
  if (!winogradOn || info.filterHeight !== 1 || info.strideWidth !== 1 || info.inChannels % 4 !== 0) return null;
  const plan = winogradPlan(info.filterWidth);
  return plan && info.outWidth >= plan.m ? plan : null;
}

/** The Winograd product (conv1d_winograd); same result as forwardDirect up to float rounding. */
function forwardWinograd(ws: KernelWorkspace, g: Geometry, plan: WinogradPlan, x: tf.TypedArray, w: tf.TypedArray, Fp: number): number {
  const { inChannels: C, outChannels: F, outHeight, outWidth, batchSize } = g.info;
  const { m, r, alpha } = plan;
  const tiles = Math.ceil(outWidth / m);
  // Rows reach the last tile's last input (zeros past the input and its padding).
  const wide: Geometry = { ...g, Wp: Math.max(g.Wp, (tiles - 1) * m + alpha) };
  const xpAt = padInput(ws, wide, x, 0);
  // The filter [1][r][C][F] with F padded to Fp, then U = G g packed for the product.
  const wAt = ws.alloc(r * C * Fp);
  const wPadded = ws.f32(wAt, r * C * Fp);
  if (Fp === F) wPadded.set(w.subarray(0, r * C * F));
  else {
    zero(ws, wAt, r * C * Fp);
    for (let i = 0; i < r * C; i++) wPadded.set(w.subarray(i * F, i * F + F), i * Fp);
  }
  const transform = (values: Float32Array) => {
    const at = ws.alloc(values.length);
    ws.f32(at, values.length).set(values);
    return at;
  };
  const [gAt, btAt, atAt] = [transform(plan.G), transform(plan.BT), transform(plan.AT)];
  const uAt = ws.alloc(alpha * C * Fp);
  ws.fn('winograd_filters')(wAt, gAt, uAt, r, C, Fp);
  // Per part: the transformed inputs and products of one row, over whole register tiles of 4 tiles.
  const scratch = alpha * roundUp(tiles, 4) * (C + Fp);
  const scratchAt = ws.alloc(scratch * SHARED_PARTS);
  const outAt = ws.alloc(g.pixels * Fp);
  const shape = [wide.Hp, wide.Wp, C, g.info.strideHeight, outHeight, outWidth, Fp, m];
  runSplit(ws, 'conv1d_winograd', [xpAt, uAt, btAt, atAt, outAt], batchSize * outHeight, {
    share: g.pixels * Fp * C * r >= SHARE_MACS,
    perPart: (k) => [scratchAt + k * scratch * 4, ...shape],
  });
  return outAt;
}

/**
 * Conv2D: out[b, y, x, f] = Σ_{kh, kw, c} xp[b, y·sh + kh, x·sw + kw, c] · w[kh, kw, c, f]; with
 * one filter row and stride 1 (Conv1D) through Winograd F(m, r), which needs ~2.5x fewer products.
 */
export function conv2DSimd(backendName: 'wasm' | 'cpu', stock: tf.KernelFunc): (params: KernelParams) => tf.TensorInfo {
  return (params) => {
    const x = params.inputs.x as tf.TensorInfo;
    const filter = params.inputs.filter as tf.TensorInfo;
    const info = convInfo(x.shape, filter.shape, params.attrs as Attrs);
    if (!covered(info) || x.dtype !== 'float32') return stock(params) as tf.TensorInfo;
    const g = geometry(info);
    const F = info.outChannels;
    const Fp = roundUp(F, FILTER_TILE);
    const io = tensorIO(params, backendName);
    const out = io.output(info.outShape);
    const ws = kernelWorkspace('conv');
    ws.reset();
    const plan = winogradFor(info);
    const outAt = plan ? forwardWinograd(ws, g, plan, io.read(x), io.read(filter), Fp) : forwardDirect(ws, g, io.read(x), io.read(filter), Fp);
    const result = ws.f32(outAt, g.pixels * Fp);
    const dst = out.values();
    if (Fp === F) dst.set(result);
    else for (let p = 0; p < g.pixels; p++) dst.set(result.subarray(p * Fp, p * Fp + F), p * F);
    return out.info();
  };
}

/** Copies dy [pixels, F] into the workspace with rows padded to `stride` floats; counts its nonzeros per row. */
function stageDy(ws: KernelWorkspace, dy: tf.TypedArray, pixels: number, F: number, stride: number): { dyAt: number; countsAt: number } {
  const dyAt = ws.alloc(pixels * stride);
  const staged = ws.f32(dyAt, pixels * stride);
  if (stride === F) staged.set(dy.subarray(0, pixels * F));
  else {
    zero(ws, dyAt, pixels * stride);
    for (let p = 0; p < pixels; p++) staged.set(dy.subarray(p * F, p * F + F), p * stride);
  }
  const countsAt = ws.alloc(pixels);
  ws.fn('conv_row_nonzeros')(dyAt, pixels, F, stride, countsAt);
  return { dyAt, countsAt };
}

/** Conv2DBackpropInput: dx = the input gradient, for dy and the filter. */
export function conv2DBackpropInputSimd(backendName: 'wasm' | 'cpu', stock: tf.KernelFunc): (params: KernelParams) => tf.TensorInfo {
  return (params) => {
    const attrs = params.attrs as Attrs;
    const dy = params.inputs.dy as tf.TensorInfo;
    const filter = params.inputs.filter as tf.TensorInfo;
    const info = convInfo(attrs.inputShape as number[], filter.shape, attrs);
    if (!covered(info) || dy.dtype !== 'float32') return stock(params) as tf.TensorInfo;
    const g = geometry(info);
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, filterHeight: KH, outChannels: F } = info;
    const io = tensorIO(params, backendName);
    const out = io.output(info.inShape);
    const ws = kernelWorkspace('conv');
    ws.reset();
    const { dyAt, countsAt } = stageDy(ws, io.read(dy), g.pixels, F, F);
    // The filter transposed per filter row: wt[kh][f][j], j < kwcp (zeros past KW·C).
    const wtAt = ws.alloc(KH * F * g.kwcp);
    zero(ws, wtAt, KH * F * g.kwcp);
    const wt = ws.f32(wtAt, KH * F * g.kwcp);
    const w = io.read(filter);
    for (let h = 0; h < KH; h++) {
      for (let j = 0; j < g.kwc; j++) {
        const src = (h * g.kwc + j) * F;
        for (let f = 0; f < F; f++) wt[(h * F + f) * g.kwcp + j] = w[src + f];
      }
    }
    const size = B * g.Hp * g.Wp * C;
    // 4 floats of slack: the last window's padded tail gets zeros added to it.
    const dxpAt = ws.alloc(size + 4);
    zero(ws, dxpAt, size + 4);
    const counts = ws.i32(countsAt, g.pixels);
    let macs = 0;
    for (let p = 0; p < g.pixels; p++) macs += counts[p] * 4 <= F ? counts[p] : F;
    runSplit(ws, 'conv_backprop_input', [dyAt, wtAt, dxpAt, countsAt, ...shapeArgs(g), F], B, { share: macs * KH * g.kwcp >= SHARE_MACS });
    // Crop the padding: dx[b, r, c] = dxp[b, r + top, c + left]; rows and columns no window reaches stay 0.
    const dxp = ws.f32(dxpAt, size);
    const dx = out.values();
    dx.fill(0);
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    const run = Math.max(0, Math.min(W, g.Wp - left)) * C;
    for (let b = 0; b < B; b++) {
      for (let r = 0; r < H && r + top < g.Hp; r++) {
        const from = ((b * g.Hp + r + top) * g.Wp + left) * C;
        dx.set(dxp.subarray(from, from + run), (b * H + r) * W * C);
      }
    }
    return out.info();
  };
}

/** Conv2DBackpropFilter: dw = the filter gradient, for x and dy. */
export function conv2DBackpropFilterSimd(backendName: 'wasm' | 'cpu', stock?: tf.KernelFunc): (params: KernelParams) => tf.TensorInfo {
  return (params) => {
    const attrs = params.attrs as Attrs;
    const x = params.inputs.x as tf.TensorInfo;
    const dy = params.inputs.dy as tf.TensorInfo;
    const info = convInfo(x.shape, attrs.filterShape as number[], attrs);
    if (!covered(info) || x.dtype !== 'float32') {
      if (!stock) throw new Error(`Conv2DBackpropFilter: only channels-last convolutions are supported on ${backendName}`);
      return stock(params) as tf.TensorInfo;
    }
    const g = geometry(info);
    const { filterHeight: KH, outChannels: F } = info;
    const Fp = roundUp(F, FILTER_TILE);
    const io = tensorIO(params, backendName);
    const out = io.output(info.filterShape);
    const ws = kernelWorkspace('conv');
    ws.reset();
    const xpAt = padInput(ws, g, io.read(x), 4);
    const { dyAt, countsAt } = stageDy(ws, io.read(dy), g.pixels, F, Fp);
    const counts = ws.i32(countsAt, g.pixels);
    // Dense pixels (one blocked product) and sparse ones (one add per nonzero), each as (offset of
    // its window in xp, offset of its dy row).
    const denseAt = ws.alloc(2 * g.pixels);
    const sparseAt = ws.alloc(2 * g.pixels);
    const dense = ws.i32(denseAt, 2 * g.pixels);
    const sparse = ws.i32(sparseAt, 2 * g.pixels);
    const { outHeight: outH, outWidth: outW, strideHeight: sh, strideWidth: sw, inChannels: C } = info;
    let ndense = 0;
    let nsparse = 0;
    let nonzeros = 0;
    for (let p = 0; p < g.pixels; p++) {
      const n = counts[p];
      if (n === 0) continue;
      const b = Math.floor(p / (outH * outW));
      const y = Math.floor(p / outW) % outH;
      const window = ((b * g.Hp + y * sh) * g.Wp + (p % outW) * sw) * C;
      const list = n * 4 <= F ? sparse : dense;
      const k = n * 4 <= F ? nsparse++ : ndense++;
      list[2 * k] = window;
      list[2 * k + 1] = p * Fp;
      if (n * 4 <= F) nonzeros += n;
    }
    const rows = KH * g.kwcp;
    const dwAt = ws.alloc(rows * Fp);
    zero(ws, dwAt, rows * Fp);
    const dwtAt = ws.alloc(nsparse ? Fp * rows : 0);
    if (nsparse) zero(ws, dwtAt, Fp * rows);
    const macs = (ndense * Fp + nonzeros) * rows;
    const args = [xpAt, dyAt, dwAt, dwtAt, denseAt, ndense, sparseAt, nsparse, g.Wp, C, KH, info.filterWidth, F, Fp];
    runSplit(ws, 'conv_backprop_filter', args, rows, { align: 4, share: macs >= SHARE_MACS });
    // dw rows are (kh, j < kwcp) by Fp; the filter is [kh][j < kwc][F].
    const dw = ws.f32(dwAt, rows * Fp);
    const dst = out.values();
    for (let h = 0; h < KH; h++) {
      for (let j = 0; j < g.kwc; j++) {
        const from = (h * g.kwcp + j) * Fp;
        dst.set(dw.subarray(from, from + F), (h * g.kwc + j) * F);
      }
    }
    return out.info();
  };
}
