/**
 * `npm run bench [-- name…] [-- --flags]`: runs every test/bench/*.bench.ts (or those whose name
 * contains one of the given words; a word that is a bench's whole name picks that bench alone, so
 * `training` does not also run training-memory), each in its own Node process so peak-memory
 * figures are not mixed up. Each bench prints JSON lines; this runner passes them through and adds nothing.
 * Flags (`--seconds=5`, `--peer`…) go to every bench run; each reads its own and ignores the rest.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const flags = args.filter((a) => a.startsWith('--'));
const all = readdirSync(here).filter((f) => f.endsWith('.bench.ts'));
const matching = (word: string) => (all.includes(`${word}.bench.ts`) ? [`${word}.bench.ts`] : all.filter((f) => f.includes(word)));
const benches = (filters.length === 0 ? all : [...new Set(filters.flatMap(matching))]).sort();

if (benches.length === 0) {
  process.stderr.write(`error: no bench matches ${filters.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const bench of benches) {
  process.stderr.write(`# ${bench}\n`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, bench), ...flags], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
  if (run.signal) process.stderr.write(`${bench}: ended by ${run.signal}\n`);
}
process.exit(failed ? 1 : 0);
