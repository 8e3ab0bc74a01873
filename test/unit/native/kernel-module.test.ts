import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { instantiateKernels, kernelModule, sharedKernelMemory } from '../../../main/core/native/kernel-module';

const hasClang = spawnSync('clang', ['--version']).status === 0 && spawnSync('wasm-ld', ['--version']).status === 0;

describe('app WebAssembly kernels', () => {
  it('loads a committed module on a shared memory and runs it', () => {
    const memory = sharedKernelMemory();
    const { exports, heapBase } = instantiateKernels(kernelModule('simd-ceiling'), memory);
    expect(heapBase).toBeGreaterThan(0);
    const simd = (exports.simd_madd_loop as (n: number) => number)(1000);
    const scalar = (exports.scalar_madd_loop as (n: number) => number)(1000);
    // Same recurrence in both: twelve accumulators' lanes (4 each) against twelve scalars.
    expect(simd / 4).toBeCloseTo(scalar, 3);
  });

  // CI installs clang and lld (.ci/run) and sets MODELPILOT_REQUIRE_CLANG, so there this never skips.
  it.skipIf(!hasClang && !process.env.MODELPILOT_REQUIRE_CLANG)('committed modules are the build of native/kernels (needs clang and wasm-ld)', () => {
    expect(() => execFileSync(process.execPath, ['scripts/build-kernels.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
