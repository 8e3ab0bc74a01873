import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** Shared by vite-plugin-svelte and svelte-check. Runes everywhere: no legacy component syntax. */
export default {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
};
