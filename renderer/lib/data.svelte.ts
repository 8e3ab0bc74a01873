import type { PickedFile } from '../../main/contract/api';
import type { ColumnRole, ImportOptions, RecipeStep, SplitSettings } from '../../main/contract/data';
import type { DataState, ImportSource } from '../../main/contract/data-channels';
import type { ContractError, Result } from '../../main/contract/errors';
import { api } from './api';
import { sourceFromPicked, topLevelNames } from './file-source';
import { randomId } from './ids';
import { notices } from './notices.svelte';

/** What a long job is doing now, for the progress bar. `total` 0: unknown. */
export interface DataBusy {
  phase: 'upload' | 'import' | 'profile' | 'audit' | 'split' | 'working';
  name: string;
  done: number;
  total: number;
  rows: number;
  jobId: string | null;
}

/**
 * The Data step of one project: its state as the Node side computed it (import, audit after the
 * recipe, split) and the user's actions on it. Every action answers with the whole new state; a
 * failed one leaves the state as it was and says why in the error banner.
 */
export class DataStepState {
  state = $state.raw<DataState | null>(null);
  loaded = $state(false);
  busy = $state.raw<DataBusy | null>(null);
  /** Counts finished jobs: controls keyed on it show the saved choice again after a refused change. */
  revision = $state(0);
  private cancelRequested = false;

  constructor(readonly projectId: string) {}

  /** Follows the progress of this page's jobs; returns the unsubscribe function. */
  listen(): () => void {
    return api.on('data:progress', (event) => {
      if (!this.busy || event.jobId !== this.busy.jobId) return;
      this.busy = { ...this.busy, phase: event.phase, done: event.bytesRead, total: event.totalBytes, rows: event.rows };
    });
  }

  async load(): Promise<void> {
    const result = await this.run('', (jobId) => api.dataGet({ projectId: this.projectId, jobId }));
    if (result) this.state = result.value;
    this.loaded = true;
  }

  /** Picked or dropped files: one file or one folder, uploaded first where the host needs that. */
  async importFiles(files: PickedFile[]): Promise<void> {
    notices.clear();
    if (files.length === 0) return;
    const names = topLevelNames(files);
    if (names.length !== 1) return notices.say('data.import.oneOnly');
    this.cancelRequested = false;
    this.busy = { phase: 'upload', name: names[0], done: 0, total: 0, rows: 0, jobId: null };
    const source = await sourceFromPicked(files, ({ sentBytes, totalBytes }) => {
      if (this.busy?.phase === 'upload') this.busy = { ...this.busy, done: sentBytes, total: totalBytes };
      return !this.cancelRequested;
    });
    if (!source.ok) {
      this.busy = null;
      return this.report(source.error);
    }
    await this.importSource(source.value, names[0]);
  }

  async importSource(source: ImportSource, name: string, options?: ImportOptions): Promise<void> {
    notices.clear();
    const result = await this.run(name, (jobId) => api.dataImport({ projectId: this.projectId, jobId, source, ...(options ? { options } : {}) }));
    if (!result) return;
    this.state = result.value;
    notices.say(source.kind === 'current' ? 'data.reimported' : 'data.imported', { name: result.value.source.originalName, rows: result.value.source.rows });
  }

  /** Reads the current source again with other reading options (the overrides in force, plus `change`). */
  reimport(change: ImportOptions): Promise<void> {
    const current = this.state;
    if (!current) return Promise.resolve();
    const options: ImportOptions = { ...current.options, ...change };
    for (const key of Object.keys(change) as (keyof ImportOptions)[]) if (change[key] === undefined) delete options[key];
    return this.importSource({ kind: 'current' }, current.source.originalName, options);
  }

  setRole(column: string, role: ColumnRole): Promise<void> {
    return this.edit((jobId) => api.dataSetRole({ projectId: this.projectId, jobId, column, role }));
  }

  applyFix(step: RecipeStep): Promise<void> {
    return this.edit((jobId) => api.dataApplyFix({ projectId: this.projectId, jobId, step }), 'data.fixApplied');
  }

  undoFix(stepId: string): Promise<void> {
    return this.edit((jobId) => api.dataUndoFix({ projectId: this.projectId, jobId, stepId }), 'data.fixUndone');
  }

  setSplit(split: SplitSettings): Promise<void> {
    return this.edit((jobId) => api.dataSetSplit({ projectId: this.projectId, jobId, split }), 'data.splitSaved');
  }

  /** Stops the upload or job under way; the Node side keeps nothing of it. */
  cancel(): void {
    this.cancelRequested = true;
    const jobId = this.busy?.jobId;
    if (jobId) void api.dataCancel({ jobId });
  }

  private async edit(call: (jobId: string) => Promise<Result<DataState>>, done?: 'data.fixApplied' | 'data.fixUndone' | 'data.splitSaved'): Promise<void> {
    if (this.busy) return; // one change at a time: the buttons are disabled meanwhile
    notices.clear();
    const result = await this.run(this.state?.source.originalName ?? '', call);
    if (!result) return;
    this.state = result.value;
    if (done) notices.say(done);
  }

  /** Runs a job with a fresh id, showing its progress; null (and the reason shown) when it fails. */
  private async run<T>(name: string, call: (jobId: string) => Promise<Result<T>>): Promise<{ value: T } | null> {
    if (this.cancelRequested) {
      // Cancelled between the upload and the import: never start it.
      this.busy = null;
      this.cancelRequested = false;
      notices.say('data.cancelled');
      return null;
    }
    const jobId = randomId();
    this.busy = { phase: 'working', name, done: 0, total: 0, rows: 0, jobId };
    const result = await call(jobId);
    this.busy = null;
    this.cancelRequested = false;
    this.revision++;
    if (result.ok) return { value: result.value };
    this.report(result.error);
    return null;
  }

  private report(error: ContractError): void {
    if (error.code === 'cancelled') notices.say('data.cancelled');
    else notices.fail(error);
  }
}
