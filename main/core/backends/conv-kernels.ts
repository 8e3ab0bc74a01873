/**
 * Convolution gradients: the filter gradient wasm lacks and cpu runs too slowly, and a faster
 * input gradient for wasm. Conv1D (text-cnn) reaches them through conv2d on a height-1 image.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Attrs, CpuBackendLike, KernelParams } from './kernel-types';

/** Beyond this many floats, im2col for the filter gradient is built batch chunk by batch chunk. */
const IM2COL_MAX_FLOATS = 8 * 1024 * 1024;

/** Convolution geometry (output size, padding) from a gradient kernel's attributes. */
export function convInfo(inShape: number[], filterShape: number[], attrs: Attrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as [number, number],
    1, // the gradient of a dilated convolution is not supported by tfjs either
    attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat as 'NHWC' | 'NCHW'),
  );
}

/**
 * `Conv2DBackpropFilter` for the wasm backend: im2col in JavaScript, then one matrix product
 * (colsᵀ · dy) on the backend's own XNNPACK `BatchMatMul`, which is where the time would go.
 * dW[fr, fc, ci, co] = Σ_{b, yr, yc} x[b, fr + yr·sh − top, fc + yc·sw − left, ci] · dy[b, yr, yc, co].
 */
export function conv2DBackpropFilterWasm(params: KernelParams): tf.TensorInfo {
  const backend = params.backend as BackendWasm;
  const x = params.inputs.x as tf.TensorInfo;
  const dy = params.inputs.dy as tf.TensorInfo;
  const attrs = params.attrs as Attrs;
  const info = convInfo(x.shape, attrs.filterShape as number[], attrs);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const channelsLast = info.dataFormat === 'channelsLast';
  const cols = filterHeight * filterWidth * inChannels;
  const pixels = outHeight * outWidth;
  const chunk = Math.max(1, Math.min(batchSize, Math.floor(IM2COL_MAX_FLOATS / Math.max(1, pixels * cols))));
  const matMul = tf.getKernel('BatchMatMul', 'wasm').kernelFunc;

  const result = new Float32Array(cols * outChannels);
  for (let b0 = 0; b0 < batchSize; b0 += chunk) {
    const nb = Math.min(chunk, batchSize - b0);
    const rows = nb * pixels;
    const colsInfo = backend.makeOutput([1, rows, cols], 'float32');
    const dyInfo = backend.makeOutput([1, rows, outChannels], 'float32');
    const xv = backend.typedArrayFromHeap(x);
    const dyv = backend.typedArrayFromHeap(dy);
    const colv = backend.typedArrayFromHeap(colsInfo);
    const dyc = backend.typedArrayFromHeap(dyInfo);
    let r = 0;
    for (let b = b0; b < b0 + nb; b++) {
      for (let yr = 0; yr < outHeight; yr++) {
        for (let yc = 0; yc < outWidth; yc++, r++) {
          let k = r * cols;
          for (let fr = 0; fr < filterHeight; fr++) {
            const xr = fr + yr * strideHeight - top;
            for (let fc = 0; fc < filterWidth; fc++) {
              const xc = fc + yc * strideWidth - left;
              if (xr < 0 || xr >= inHeight || xc < 0 || xc >= inWidth) {
                colv.fill(0, k, k + inChannels);
              } else if (channelsLast) {
                const base = ((b * inHeight + xr) * inWidth + xc) * inChannels;
                colv.set(xv.subarray(base, base + inChannels), k);
              } else {
                for (let ci = 0; ci < inChannels; ci++) colv[k + ci] = xv[((b * inChannels + ci) * inHeight + xr) * inWidth + xc];
              }
              k += inChannels;
            }
          }
          const d = r * outChannels;
          if (channelsLast) {
            const base = ((b * outHeight + yr) * outWidth + yc) * outChannels;
            dyc.set(dyv.subarray(base, base + outChannels), d);
          } else {
            for (let co = 0; co < outChannels; co++) dyc[d + co] = dyv[((b * outChannels + co) * outHeight + yr) * outWidth + yc];
          }
        }
      }
    }
    const product = matMul({ inputs: { a: colsInfo, b: dyInfo }, backend, attrs: { transposeA: true, transposeB: false } }) as tf.TensorInfo;
    const pv = backend.typedArrayFromHeap(product);
    if (b0 === 0) result.set(pv);
    else for (let i = 0; i < result.length; i++) result[i] += pv[i];
    backend.disposeData(product.dataId);
    backend.disposeData(colsInfo.dataId);
    backend.disposeData(dyInfo.dataId);
  }
  // [fh·fw·cin, cout] row-major is exactly the filter layout [fh, fw, cin, cout].
  const out = backend.makeOutput(info.filterShape, 'float32');
  backend.typedArrayFromHeap(out).set(result);
  return out;
}

/**
 * `Conv2DBackpropFilter` for the cpu backend: the same sum as the stock kernel in one pass over
 * the output positions with flat indexing. The stock kernel goes through TensorBuffer.get per
 * element and takes ~18 s per text-cnn batch (32 × 200 tokens); this takes well under a second.
 */
export function conv2DBackpropFilterCpu(params: KernelParams): tf.TensorInfo {
  const backend = params.backend as CpuBackendLike;
  const x = params.inputs.x as tf.TensorInfo;
  const dy = params.inputs.dy as tf.TensorInfo;
  const attrs = params.attrs as Attrs;
  const info = convInfo(x.shape, attrs.filterShape as number[], attrs);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const channelsLast = info.dataFormat === 'channelsLast';
  const xv = backend.readSync(x.dataId) as Float32Array;
  const dyv = backend.readSync(dy.dataId) as Float32Array;
  const dw = new Float32Array(filterHeight * filterWidth * inChannels * outChannels);
  const dyRow = new Float32Array(outChannels);
  for (let b = 0; b < batchSize; b++) {
    for (let yr = 0; yr < outHeight; yr++) {
      for (let yc = 0; yc < outWidth; yc++) {
        for (let co = 0; co < outChannels; co++) {
          dyRow[co] = channelsLast
            ? dyv[((b * outHeight + yr) * outWidth + yc) * outChannels + co]
            : dyv[((b * outChannels + co) * outHeight + yr) * outWidth + yc];
        }
        for (let fr = 0; fr < filterHeight; fr++) {
          const xr = fr + yr * strideHeight - top;
          if (xr < 0 || xr >= inHeight) continue;
          for (let fc = 0; fc < filterWidth; fc++) {
            const xc = fc + yc * strideWidth - left;
            if (xc < 0 || xc >= inWidth) continue;
            for (let ci = 0; ci < inChannels; ci++) {
              const value = channelsLast ? xv[((b * inHeight + xr) * inWidth + xc) * inChannels + ci] : xv[((b * inChannels + ci) * inHeight + xr) * inWidth + xc];
              if (value === 0) continue; // ReLU outputs and padding are often exactly 0
              const w = ((fr * filterWidth + fc) * inChannels + ci) * outChannels;
              for (let co = 0; co < outChannels; co++) dw[w + co] += value * dyRow[co];
            }
          }
        }
      }
    }
  }
  return backend.makeTensorInfo(info.filterShape, 'float32', dw);
}

/**
 * `Conv2DBackpropInput` for wasm (the input gradient of Conv1D/Conv2D): one matrix product
 * dy · Wᵀ on XNNPACK, then col2im in JavaScript. The stock kernel takes ~65 ms of a 130 ms
 * text-cnn batch; this takes a fraction. Channels-last only; other layouts use the stock kernel.
 */
export function fastConv2DBackpropInputWasm(stock: tf.KernelFunc): (params: KernelParams) => tf.TensorInfo {
  return (params) => {
    const attrs = params.attrs as Attrs;
    const dy = params.inputs.dy as tf.TensorInfo;
    const filter = params.inputs.filter as tf.TensorInfo;
    const info = convInfo(attrs.inputShape as number[], filter.shape, attrs);
    if (info.dataFormat !== 'channelsLast') return stock(params) as tf.TensorInfo;
    const backend = params.backend as BackendWasm;
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
    const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    const cols = filterHeight * filterWidth * inChannels;
    const rows = batchSize * outHeight * outWidth;
    // [rows, cout] · [cols, cout]ᵀ = [rows, cols]: each row is one output position's share of dx.
    const dy3 = { dataId: dy.dataId, shape: [1, rows, outChannels], dtype: dy.dtype };
    const w3 = { dataId: filter.dataId, shape: [1, cols, outChannels], dtype: filter.dtype };
    const matMul = tf.getKernel('BatchMatMul', 'wasm').kernelFunc;
    const product = matMul({ inputs: { a: dy3, b: w3 }, backend, attrs: { transposeA: false, transposeB: true } }) as tf.TensorInfo;
    const out = backend.makeOutput(info.inShape, 'float32');
    const pv = backend.typedArrayFromHeap(product);
    const dx = backend.typedArrayFromHeap(out);
    dx.fill(0);
    let r = 0;
    for (let b = 0; b < batchSize; b++) {
      for (let yr = 0; yr < outHeight; yr++) {
        for (let yc = 0; yc < outWidth; yc++, r++) {
          let k = r * cols;
          for (let fr = 0; fr < filterHeight; fr++) {
            const xr = fr + yr * strideHeight - top;
            for (let fc = 0; fc < filterWidth; fc++, k += inChannels) {
              const xc = fc + yc * strideWidth - left;
              if (xr < 0 || xr >= inHeight || xc < 0 || xc >= inWidth) continue;
              const base = ((b * inHeight + xr) * inWidth + xc) * inChannels;
              for (let ci = 0; ci < inChannels; ci++) dx[base + ci] += pv[k + ci];
            }
          }
        }
      }
    }
    backend.disposeData(product.dataId);
    return out;
  };
}
