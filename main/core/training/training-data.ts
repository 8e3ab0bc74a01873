/**
 * What the trainer is given: rows that the data step's recipe has already cleaned and split,
 * the input columns with their roles, and the label column. Plain objects, so they cross to the
 * compute worker by structured clone.
 */
import { createHash } from 'node:crypto';
import type { Row } from '../../contract/data';
import type { DataSection } from './project-setup';

export interface TrainingInputColumn {
  name: string;
  /** Text columns feed text models (joined by a newline); numeric and categorical feed tabular ones. */
  role: 'text' | 'numeric' | 'categorical';
}

export interface TrainingData {
  inputs: TrainingInputColumn[];
  /** The column to predict. */
  label: string;
  train: Row[];
  /** The validation split; when null, `validationFraction` of train is held out (seeded). */
  validation: Row[] | null;
}

/**
 * sha-256 over the columns and every cell, so a resumed run can refuse other data. Hashes row
 * by row: no giant string for a large table.
 */
export function fingerprintData(data: TrainingData): string {
  const hash = new DataFingerprint(data.inputs, data.label);
  hash.section('train', data.train.length);
  for (const row of data.train) hash.row(row);
  hash.section('validation', data.validation?.length ?? 0);
  for (const row of data.validation ?? []) hash.row(row);
  return hash.digest();
}

/**
 * The fingerprint fed one row at a time, so rows streamed from a file hash exactly as rows in
 * memory do: the training rows (after their count), then the validation rows (after theirs).
 */
export class DataFingerprint {
  private readonly hash = createHash('sha256');
  private readonly names: string[];

  constructor(inputs: readonly TrainingInputColumn[], label: string) {
    this.hash.update(JSON.stringify({ inputs, label }));
    this.names = [...inputs.map((c) => c.name), label];
  }

  section(tag: 'train' | 'validation', rows: number): void {
    this.hash.update(`\u0000${tag}:${rows}`);
  }

  row(row: Row): void {
    this.hash.update(JSON.stringify(this.names.map((n) => row[n] ?? null)));
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * A project's data named, not carried: the compute worker reads, cleans, splits and encodes it
 * from the project's files as it trains (prepare-source.ts), so no thread ever holds every row.
 */
export interface ProjectDataRef {
  kind: 'project';
  projectDir: string;
  section: DataSection;
}

/** What training and estimates accept: rows in memory (small data, tests) or a project's files. */
export type TrainingInput = TrainingData | ProjectDataRef;

export function isProjectData(data: TrainingInput): data is ProjectDataRef {
  return (data as ProjectDataRef).kind === 'project';
}
