/**
 * electron-vite: main (ESM) -> out/main/index.js, preload (CommonJS) -> out/preload/index.cjs,
 * renderer (Svelte) -> out/renderer. `npm run build` / `electron-vite build`.
 */
import { readdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const at = (path: string): string => resolve(root, path);

/**
 * Sandboxed preloads must be CommonJS, but with "type": "module" electron-vite would emit ESM
 * (index.mjs). Force cjs and the .cjs name, so Node-style loaders never read it as ESM.
 */
export const preloadOutput = { format: 'cjs', entryFileNames: '[name].cjs' } as const;

/**
 * Every `main/**\/*.worker.ts` becomes its own entry (`out/main/<name>.worker.js`), so worker_threads
 * code can start them with `new URL('./<name>.worker.js', import.meta.url)` in the built app.
 */
function workerEntries(): Record<string, string> {
  const entries: Record<string, string> = {};
  const entriesDir = at('main');
  for (const file of readdirSync(entriesDir, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.worker.ts')) continue;
    const name = basename(file, '.ts');
    if (entries[name]) throw new Error(`two workers named ${name}: ${relative(root, entries[name])} and ${file}`);
    entries[name] = join(entriesDir, file);
  }
  return entries;
}

/**
 * electron-vite adds a CommonJS shim (`const require = createRequire(import.meta.url)`) to any ESM
 * chunk that mentions `require(`; a module that declares its own top-level `require` the same way
 * (the usual Node ESM idiom, e.g. main/core/backends/ladder.ts) then collides with it and the app
 * dies at startup with "Identifier 'require' has already been declared". Both bind
 * createRequire(<this chunk's URL>), so the module's copy is dropped; any other clash fails the build.
 */
export function dedupeRequireShim(): Plugin {
  const shim = 'const require = __shims_module__.createRequire(import.meta.url);';
  const ownRequire = /^(?:var|let|const) require = (?:[\w$]+\.)?createRequire\(import\.meta\.url\);\n/gm;
  return {
    name: 'modelpilot:dedupe-require-shim',
    enforce: 'post',
    renderChunk(code, chunk) {
      if (!code.includes(shim)) return null;
      const fixed = code.replace(ownRequire, (line) => (line.startsWith(shim) ? line : ''));
      const bindings = fixed.match(/^(?:var|let|const|function|class) require\b/gm) ?? [];
      if (bindings.length > 1) {
        throw new Error(`${chunk.fileName}: a module declares a top-level \`require\` that clashes with electron-vite's ESM shim; rename it`);
      }
      return fixed === code ? null : { code: fixed, map: null };
    },
  };
}

export default defineConfig({
  main: {
    plugins: [dedupeRequireShim()],
    build: {
      outDir: at('out/main'),
      // Dependencies (zod, tfjs) stay in node_modules: electron-builder ships them, and the
      // native/wasm files tfjs needs must sit next to their package at run time.
      externalizeDeps: true,
      rolldownOptions: {
        input: { index: at('main/app/index.ts'), ...workerEntries() },
      },
    },
  },
  preload: {
    build: {
      outDir: at('out/preload'),
      // A sandboxed preload can require only 'electron': bundle everything else into the one file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: at('main/preload.ts') },
        output: { ...preloadOutput },
      },
    },
  },
  renderer: {
    root: at('renderer'),
    base: './',
    // The same svelte.config.js the web build and svelte-check use.
    plugins: [svelte({ configFile: at('renderer/svelte.config.js') })],
    build: {
      outDir: at('out/renderer'),
      emptyOutDir: true,
      rolldownOptions: { input: at('renderer/index.html') },
    },
  },
});
