import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { backendIds, type BackendId, type BackendRung } from '../../contract/schemas';

const require = createRequire(import.meta.url);

export interface LadderStatus {
  rungs: BackendRung[];
  selected: BackendId;
  forced: BackendId | null;
}

/**
 * Which rungs of the compute ladder (DESIGN.md) this machine can use, and why not where not.
 * It only looks at files: native TensorFlow must never be loaded on the main thread, and the
 * compute worker confirms the chosen rung with a probe fit when it starts.
 */
export function probeLadder(env: NodeJS.ProcessEnv = process.env): LadderStatus {
  const forcedRaw = env.MODELPILOT_BACKEND?.trim();
  const forced = (backendIds as readonly string[]).includes(forcedRaw ?? '') ? (forcedRaw as BackendId) : null;
  const rungs = backendIds.map((id) => {
    const rung = probeRung(id);
    if (forced && id !== forced && rung.available) {
      return { ...rung, available: false, reason: 'forced_off' as const, detail: `MODELPILOT_BACKEND=${forced}` };
    }
    return rung;
  });
  const selected = rungs.find((r) => r.available)?.id ?? 'cpu';
  return { rungs, selected, forced };
}

function probeRung(id: BackendId): BackendRung {
  switch (id) {
    case 'tfjs-node-gpu':
      return probeNative(id, '@tensorflow/tfjs-node-gpu', true);
    case 'tfjs-node':
      return probeNative(id, '@tensorflow/tfjs-node', false);
    case 'wasm': {
      const dir = packageDir('@tensorflow/tfjs-backend-wasm');
      if (!dir) return { id, available: false, reason: 'not_installed', detail: '@tensorflow/tfjs-backend-wasm' };
      const wasm = join(dir, 'dist', 'tfjs-backend-wasm-simd.wasm');
      if (!existsSync(wasm)) return { id, available: false, reason: 'missing_files', detail: wasm };
      return { id, available: true, reason: 'available', detail: 'WebAssembly SIMD' };
    }
    case 'cpu':
      return { id, available: true, reason: 'available', detail: 'JavaScript' };
  }
}

function probeNative(id: BackendId, pkg: string, needsCuda: boolean): BackendRung {
  const dir = packageDir(pkg);
  if (!dir) return { id, available: false, reason: 'not_installed', detail: pkg };
  const binding = findBinding(dir);
  if (!binding) return { id, available: false, reason: 'missing_files', detail: `${pkg}: libtensorflow binding not downloaded` };
  if (needsCuda) {
    if (process.platform !== 'linux' && process.platform !== 'win32') {
      return { id, available: false, reason: 'unsupported_platform', detail: process.platform };
    }
    if (!hasCudaDriver()) return { id, available: false, reason: 'no_cuda', detail: 'no NVIDIA driver found' };
  }
  return { id, available: true, reason: 'available', detail: binding };
}

function packageDir(pkg: string): string | null {
  try {
    return dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    return null;
  }
}

function findBinding(dir: string): string | null {
  const lib = join(dir, 'lib');
  if (!existsSync(lib)) return null;
  for (const sub of readdirSync(lib)) {
    const file = join(lib, sub, 'tfjs_binding.node');
    if (sub.startsWith('napi-v') && existsSync(file)) return file;
  }
  return null;
}

function hasCudaDriver(): boolean {
  if (process.platform === 'linux') return existsSync('/proc/driver/nvidia/version');
  const systemRoot = process.env.SystemRoot ?? 'C:\\Windows';
  return existsSync(join(systemRoot, 'System32', 'nvcuda.dll'));
}
