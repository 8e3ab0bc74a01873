// Builds the standalone prediction runtime that every exported model ships as
// examples/modelpilot-runtime.mjs, into out/predict-runtime/ (the packaged app has no esbuild, so
// it must exist before electron-builder packs out/). Run after `electron-vite build`:
//   node scripts/build-predict-runtime.mjs
// The build itself lives in main/core/export/predict-runtime.ts (one definition), loaded via tsx.
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = fileURLToPath(new URL('..', import.meta.url));
const { writePrebuiltRuntime } = await tsImport('../main/core/export/predict-runtime.ts', import.meta.url);
const file = await writePrebuiltRuntime(root);
console.log(`prediction runtime written to ${file}`);
