/**
 * prepareData for a project's data on disk, in bounded memory: the source streams through the
 * recipe and the split (planSplit: one pass, plus one per conflict step), the preprocessing is
 * fitted on the training rows (fitSource: one pass, two without a validation split), and the rows
 * are encoded into the run's cache files (encodeSource: one pass), which training then reads a
 * batch at a time. Kept per row meanwhile: its split (1 byte) and, while the split is decided,
 * its class (4 bytes). A resumed run reuses its cache when the cache is whole and built for it.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataProgress } from '../../contract/data';
import type { PrepareStage, TrainingConfig } from '../../contract/training';
import type { JobControl } from '../data/byte-source';
import { planSplit } from '../data/split-plan';
import { cacheKey, openCache, resetCache, SPLIT_FILES, writeManifest, type CacheManifest } from './data-cache';
import type { PreparedData } from './prepare';
import { planInputs, RowEncoder } from './preprocessing-fit';
import type { Preprocessing } from './preprocessing';
import { assertTrainable } from './project-data';
import { resolveSetup, type DataSection } from './project-setup';
import { encodeSource } from './source-encode';
import { fitSource } from './source-fit';
import { FileSplit, RecordWriter, type RecordLayout } from './split-files';
import { DataFingerprint, type ProjectDataRef } from './training-data';

export interface PreparedSource extends PreparedData<FileSplit> {
  /** The data section with the recipe fitted on this split; null when the cache was reused. */
  snapshot: DataSection | null;
  /** Closes the cache files. */
  close(): void;
}

/** Hears each pass's progress, with the stage it belongs to. */
export type StageProgress = (stage: PrepareStage, progress: DataProgress) => void;

interface PrepareOptions {
  cacheDir: string;
  fitted?: Preprocessing;
  signal?: AbortSignal;
  onStage?: StageProgress;
  log?: (message: string) => void;
}

/** The columns, label and model inputs of a project's data for `config`. */
export function resolveInputs(ref: ProjectDataRef, config: TrainingConfig) {
  const setup = resolveSetup(ref.section);
  assertTrainable(setup);
  const label = ref.section.labelColumn!;
  const plan = planInputs(setup.inputs, label, config);
  return { setup, plan, columns: [...setup.inputs.map((c) => c.name), label] };
}

/**
 * Prepares a project's data into `cacheDir` (see the module note). With `fitted` (a resumed run)
 * the saved preprocessing is reused, and so is a cache that matches it.
 */
export async function prepareSource(
  ref: ProjectDataRef,
  config: TrainingConfig,
  options: PrepareOptions,
): Promise<PreparedSource> {
  const { setup, plan, columns } = resolveInputs(ref, config);
  if (options.fitted) {
    const { cache, reason } = await openCache(options.cacheDir, cacheKey(ref.section, setup.inputs, config, options.fitted));
    if (cache) return fromCache(options.fitted, cache.manifest, cache.train, cache.validation, null);
    options.log?.(`data cache rebuilt: ${reason}`);
  }
  await resetCache(options.cacheDir);
  try {
    return await buildCache(ref, config, options.cacheDir, { setup, plan, columns }, options);
  } catch (error) {
    // A cancelled or failed build leaves no folder behind, not even an empty one.
    await rm(options.cacheDir, { recursive: true, force: true });
    throw error;
  }
}

async function buildCache(
  ref: ProjectDataRef,
  config: TrainingConfig,
  cacheDir: string,
  { setup, plan, columns }: ReturnType<typeof resolveInputs>,
  options: PrepareOptions,
): Promise<PreparedSource> {
  const { onStage } = options;
  const stage = (name: PrepareStage): JobControl => ({ signal: options.signal, onProgress: onStage && ((progress) => onStage(name, progress)) });
  const split = await planSplit(ref.projectDir, ref.section, stage('split'));
  const fingerprint = new DataFingerprint(setup.inputs, plan.label);
  const fit = await fitSource(split, plan, columns, config, { fitted: options.fitted, fingerprint, control: stage('fit') });
  const encoder = new RowEncoder(plan, fit.preprocessing);
  const layout: RecordLayout = { width: encoder.width, xType: encoder.xType, outputKind: encoder.outputKind, classes: encoder.classes };
  const writers = {
    train: new RecordWriter(join(cacheDir, SPLIT_FILES.train), layout),
    validation: new RecordWriter(join(cacheDir, SPLIT_FILES.validation), layout),
  };
  const classCounts = plan.regression ? null : new Array<number>(encoder.classes).fill(0);
  let files: CacheManifest['files'];
  try {
    await encodeSource(
      split,
      plan,
      encoder,
      fit,
      columns,
      (side, row) => {
        const writer = writers[side];
        encoder.encodeInto(row, writer.x, 0);
        // A training row of a class the saved label map lacks (a resumed run) reads as class 0.
        const answer = plan.regression ? encoder.answer(row) : Math.max(0, encoder.answer(row));
        if (classCounts && side === 'train') classCounts[answer]++;
        writer.append(answer);
      },
      { fingerprint, control: stage('encode') },
    );
    files = { train: writers.train.finish(), validation: writers.validation.finish() };
  } catch (error) {
    writers.train.abort();
    writers.validation.abort();
    throw error;
  }
  const manifest: CacheManifest = {
    formatVersion: 1,
    key: cacheKey(ref.section, setup.inputs, config, fit.preprocessing),
    fingerprint: fingerprint.digest(),
    layout,
    classCounts,
    files,
  };
  await writeManifest(cacheDir, manifest);
  const train = new FileSplit(writers.train.path, manifest.files.train.rows, layout);
  const validation = new FileSplit(writers.validation.path, manifest.files.validation.rows, layout);
  return fromCache(fit.preprocessing, manifest, train, validation, { ...ref.section, recipe: split.recipe });
}

function fromCache(preprocessing: Preprocessing, manifest: CacheManifest, train: FileSplit, validation: FileSplit, snapshot: DataSection | null): PreparedSource {
  const { outputKind, classes } = manifest.layout;
  const input: PreparedData['input'] =
    preprocessing.kind === 'text'
      ? { kind: 'sequence', vocabularySize: preprocessing.tokenizer.vocabulary.length, sequenceLength: preprocessing.tokenizer.sequenceLength }
      : { kind: 'features', width: preprocessing.features.width };
  return {
    preprocessing,
    input,
    outputKind,
    classes,
    train,
    validation,
    classCounts: manifest.classCounts,
    fingerprint: manifest.fingerprint,
    snapshot,
    close: () => {
      train.close();
      validation.close();
    },
  };
}
