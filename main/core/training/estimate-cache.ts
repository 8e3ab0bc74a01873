/**
 * Model estimates measured on a project's data, kept in `<project>/.modelpilot/model-estimates.json`
 * so reopening the Model step shows them without measuring again. Each entry carries the key of
 * the data and the knobs it was measured with; a stale or damaged file reads as empty.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelEstimate } from '../../contract/training';
import { writeJsonAtomic } from '../fs/atomic-write';
import type { DataSection } from './project-setup';

const CACHE_DIR = '.modelpilot';
const FILE = 'model-estimates.json';

interface CacheFile {
  dataKey: string;
  entries: Record<string, { knobs: string; estimate: ModelEstimate }>;
}

/** What a data section's rows depend on; fitted values are an output, so they are left out. */
export function dataKeyOf(section: DataSection): string {
  const steps = section.recipe.steps.map((step) => {
    const { fitted: _fitted, ...rest } = step as typeof step & { fitted?: unknown };
    return rest;
  });
  const key = { sha256: section.source.sha256, spec: section.source.spec, roles: section.roles, label: section.labelColumn, task: section.taskType, steps, split: section.split };
  return createHash('sha256').update(JSON.stringify(key)).digest('hex');
}

const knobsOf = (hyperparameters: Record<string, number> = {}) => JSON.stringify(Object.entries(hyperparameters).sort(([a], [b]) => a.localeCompare(b)));

async function read(projectDir: string): Promise<CacheFile | null> {
  try {
    return JSON.parse(await readFile(join(projectDir, CACHE_DIR, FILE), 'utf8')) as CacheFile;
  } catch {
    return null;
  }
}

/** Cached estimates for this data, each only if measured with the knobs now chosen for its model. */
export async function readEstimates(projectDir: string, dataKey: string, knobs: Partial<Record<string, Record<string, number>>> = {}): Promise<ModelEstimate[]> {
  const file = await read(projectDir);
  if (!file || file.dataKey !== dataKey || typeof file.entries !== 'object') return [];
  return Object.entries(file.entries)
    .filter(([modelId, entry]) => entry?.estimate && entry.knobs === knobsOf(knobs[modelId]))
    .map(([, entry]) => entry.estimate);
}

/** Adds fresh estimates (dropping those of other data). */
export async function writeEstimates(projectDir: string, dataKey: string, estimates: ModelEstimate[], knobs: Partial<Record<string, Record<string, number>>> = {}): Promise<void> {
  const current = await read(projectDir);
  const entries = current?.dataKey === dataKey && typeof current.entries === 'object' ? { ...current.entries } : {};
  for (const estimate of estimates) entries[estimate.modelId] = { knobs: knobsOf(knobs[estimate.modelId]), estimate };
  await mkdir(join(projectDir, CACHE_DIR), { recursive: true });
  await writeJsonAtomic(join(projectDir, CACHE_DIR, FILE), { dataKey, entries } satisfies CacheFile);
}
