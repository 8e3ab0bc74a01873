/**
 * What the trainer is given: rows that the data step's recipe has already cleaned and split,
 * the input columns with their roles, and the label column. Plain objects, so they cross to the
 * compute worker by structured clone.
 */
import { createHash } from 'node:crypto';
import type { Row } from '../../contract/data';

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
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ inputs: data.inputs, label: data.label }));
  const names = [...data.inputs.map((c) => c.name), data.label];
  for (const [tag, rows] of [['train', data.train], ['validation', data.validation ?? []]] as const) {
    hash.update(`\u0000${tag}:${rows.length}`);
    for (const row of rows) hash.update(JSON.stringify(names.map((n) => row[n] ?? null)));
  }
  return hash.digest('hex');
}
