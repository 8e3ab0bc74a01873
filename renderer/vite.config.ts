// This file runs in Node at build time, not in the renderer sandbox the lint rule guards.
// eslint-disable-next-line no-restricted-imports
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The renderer build: both hosts load `out/renderer/index.html` (Electron from file://, hence `base: './'`). */
export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) })],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
});
