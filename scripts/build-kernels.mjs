// Compiles every native/kernels/*.c into resources/kernels/<name>.wasm with Debian's clang and
// wasm-ld (packages clang and lld; .ci/run installs them). The built modules are committed, so an
// install without a compiler still has them; `--check` rebuilds into a temporary folder and fails
// when a committed module differs from its source's build (CI runs it through the unit tests).
//   node scripts/build-kernels.mjs [--check]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sources = join(root, 'native', 'kernels');
const target = join(root, 'resources', 'kernels');
const check = process.argv.includes('--check');

// SIMD 128 for the kernels; atomics and bulk memory because the memory is shared with a second
// thread (imported, shared, up to 2 GiB); no libc: kernels get every buffer from the caller.
// mutable-globals: each thread sets its own __stack_pointer.
// -ffp-contract=off: no fused multiply-adds, so results do not depend on the compiler's mood.
export const FLAGS = [
  '--target=wasm32', '-O3', '-msimd128', '-matomics', '-mbulk-memory', '-mmutable-globals', '-nostdlib', '-ffp-contract=off',
  '-Wall', '-Werror',
  '-Wl,--no-entry', '-Wl,--import-memory', '-Wl,--shared-memory', '-Wl,--max-memory=2147483648',
  '-Wl,--export=__heap_base', '-Wl,--export=__stack_pointer', '-Wl,--strip-all',
];

const out = check ? mkdtempSync(join(tmpdir(), 'kernels-')) : target;
let stale = 0;
try {
  for (const file of readdirSync(sources).filter((f) => f.endsWith('.c')).sort()) {
    const name = basename(file, '.c');
    const built = join(out, `${name}.wasm`);
    const temp = `${built}.tmp`;
    execFileSync('clang', [...FLAGS, '-o', temp, join(sources, file)], { stdio: 'inherit' });
    renameSync(temp, built);
    if (check) {
      let committed = null;
      try { committed = readFileSync(join(target, `${name}.wasm`)); } catch { /* missing counts as stale */ }
      if (!committed || !committed.equals(readFileSync(built))) {
        stale++;
        console.error(`resources/kernels/${name}.wasm is not the build of native/kernels/${file}: run npm run build:kernels`);
      }
    } else {
      console.log(`built resources/kernels/${name}.wasm`);
    }
  }
} finally {
  if (check) rmSync(out, { recursive: true, force: true });
}
process.exit(stale ? 1 : 0);
