/**
 * This machine's WebAssembly SIMD ceiling (GFLOP/s of a tight f32x4 multiply-add loop), on one
 * thread and on every core; the kernel profile reports efficiency against it.
 * Run: npm run bench -- simd-ceiling
 */
import { measureSimdCeiling } from '../../main/core/native/simd-ceiling';

process.stdout.write(JSON.stringify({ bench: 'simd-ceiling', ...(await measureSimdCeiling(500)) }) + '\n');
