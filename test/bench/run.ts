/**
 * `npm run bench [-- name…] [-- --flags]`: runs every test/bench/*.bench.ts (or those whose name
 * contains one of the given words), each in its own Node process so peak-memory figures are not
 * mixed up. Each bench prints JSON lines; this runner passes them through and adds nothing.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const flags = args.filter((a) => a.startsWith('--'));
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((word) => f.includes(word)))
  .sort();

if (benches.length === 0) {
  process.stderr.write(`error: no bench matches ${filters.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const bench of benches) {
  process.stderr.write(`# ${bench}\n`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, bench), ...flags], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
