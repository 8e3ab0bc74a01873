/**
 * Data import + audit bench: writes a 1,000,000-row CSV (streamed) in a temp folder, imports it
 * into a temp project (copy + hash + profile in one pass), audits it (second pass), and prints
 * one JSON line with rows, bytes, seconds and the peak resident memory sampled every 25 ms.
 * Run: npx tsx test/bench/data-import.bench.ts [--rows N], or npm run bench -- data-import [--rows=N]
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { auditDataset } from '../../main/core/data/dataset';
import { importDataset } from '../../main/core/data/import-dataset';

export interface DataImportBench {
  bench: 'data-import';
  rows: number;
  bytes: number;
  /** Import plus audit, wall clock. */
  seconds: number;
  peakRssMB: number;
  /** Peak during the import pass alone (copy + hash + profile): flat whatever the file size. */
  importPeakRssMB: number;
  importSeconds: number;
  auditSeconds: number;
  generateSeconds: number;
  /** RSS before importing: the part of the peak that is Node, tsx and the libraries. */
  baselineRssMB: number;
  duplicates: number;
  conflictingGroups: number;
  warnings: string[];
}

const WORDS = ['great', 'product', 'fast', 'shipping', 'broken', 'late', 'love', 'it', 'would', 'buy', 'again', 'poor', 'quality', 'value', 'money', 'screen', 'battery', '很好', '质量', '物流'];
const CATEGORIES = ['books', 'toys', 'phones', 'garden', 'kitchen', 'sports'];

/** Streams a CSV of `rows` rows to `path`, respecting back-pressure so memory stays flat. */
async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('id,review,category,amount,label\n');
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    const words: string[] = [];
    const n = 4 + Math.floor(rand() * 10);
    for (let w = 0; w < n; w++) words.push(WORDS[Math.floor(rand() * WORDS.length)]);
    const amount = (rand() * 200).toFixed(2);
    const label = rand() < 0.7 ? 'positive' : 'negative';
    chunk += `${i},"${words.join(' ')}",${CATEGORIES[i % CATEGORIES.length]},${amount},${label}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

export async function run(rows = 1_000_000): Promise<DataImportBench> {
  const dir = await mkdtemp(join(tmpdir(), 'mp-bench-data-'));
  try {
    const csv = join(dir, 'big.csv');
    let t = performance.now();
    await writeCsv(csv, rows);
    const generateSeconds = (performance.now() - t) / 1000;
    const bytes = (await stat(csv)).size;
    const project = join(dir, 'project');
    await mkdir(join(project, 'data'), { recursive: true });

    global.gc?.();
    const baselineRssMB = process.memoryUsage().rss / 2 ** 20;
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 25);
    try {
      t = performance.now();
      const imported = await importDataset(project, csv);
      const importSeconds = (performance.now() - t) / 1000;
      const importPeak = Math.max(peak, process.memoryUsage().rss);
      t = performance.now();
      const audit = await auditDataset(project, imported.source, imported.roles);
      const auditSeconds = (performance.now() - t) / 1000;
      peak = Math.max(peak, process.memoryUsage().rss);
      if (audit.rows !== rows) throw new Error(`audit saw ${audit.rows} rows, expected ${rows}`);
      return {
        bench: 'data-import',
        rows: audit.rows,
        bytes,
        seconds: round(importSeconds + auditSeconds),
        peakRssMB: round(peak / 2 ** 20),
        importPeakRssMB: round(importPeak / 2 ** 20),
        importSeconds: round(importSeconds),
        auditSeconds: round(auditSeconds),
        generateSeconds: round(generateSeconds),
        baselineRssMB: round(baselineRssMB),
        duplicates: audit.duplicates,
        conflictingGroups: audit.conflictingLabels.groups,
        warnings: audit.warnings.map((w) => w.code),
      };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // --rows N or --rows=N (npm run bench passes flags in the second form)
  const i = process.argv.findIndex((a) => a === '--rows' || a.startsWith('--rows='));
  const value = i < 0 ? undefined : process.argv[i].includes('=') ? process.argv[i].split('=')[1] : process.argv[i + 1];
  const rows = value === undefined ? 1_000_000 : Number(value);
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows needs a positive whole number, got ${value}`);
  console.log(JSON.stringify(await run(rows)));
}
