/**
 * Messages between the data worker (data.worker.ts) and its owner (data-worker.ts). Jobs are
 * numbered by the owner; every reply names its job. Errors cross as plain data and become a
 * CoreError again on the owner's side.
 */
import type { ColumnRoles, DataProgress, DataSource, ImportOptions, ImportResult, Recipe, SplitSettings } from '../contract/data';
import type { ContractError } from '../contract/errors';
import type { PreparedView, SourceProfile } from '../core/data/prepare-stream';

export type DataJob =
  | { kind: 'import'; projectDir: string; path: string; options: ImportOptions }
  | { kind: 'analyze'; projectDir: string; source: DataSource; roles: ColumnRoles; recipe: Recipe; split: SplitSettings }
  | { kind: 'profile'; projectDir: string; source: DataSource };

/** What each kind of job answers. */
export interface DataJobResults {
  import: ImportResult;
  analyze: PreparedView;
  profile: SourceProfile;
}

export type JobOf<K extends DataJob['kind']> = Extract<DataJob, { kind: K }>;

export type ToWorker = { type: 'run'; jobId: number; job: DataJob } | { type: 'cancel'; jobId: number };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** Set for a CoreError: the contract code and its params. */
  code?: ContractError['code'];
  params?: ContractError['params'];
}

export type FromWorker =
  | { type: 'progress'; jobId: number; progress: DataProgress }
  | { type: 'done'; jobId: number; value: unknown }
  | { type: 'failed'; jobId: number; error: SerializedError };
