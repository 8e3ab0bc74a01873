import { rm } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import {
  DEFAULT_SPLIT,
  type ColumnRole,
  type ImportOptions,
  type ImportResult,
  type ProjectData,
  type RecipeStep,
  type SplitSettings,
} from '../contract/data';
import type { DataImportSource, DataProgressEvent, DataState } from '../contract/data-channels';
import { assertLabel, sourcePath } from '../core/data/dataset';
import { labelOf, setRole } from '../core/data/infer-roles';
import type { SourceProfile } from '../core/data/prepare-stream';
import { addStep, describeRecipe, emptyRecipe, removeStep } from '../core/data/recipe';
import { CoreError } from '../core/errors';
import { readProjectFile } from '../core/projects/project-file';
import { samplePath } from '../core/samples/samples';
import type { ProjectStore } from '../core/projects/project-store';
import type { UploadStore } from '../core/uploads/upload-store';
import { readSourceCache, readViewCache, writeSourceCache, writeViewCache, type CachedView } from './data-cache';
import type { DataWorker } from './data-worker';

export interface DataServiceOptions {
  projects: ProjectStore;
  uploads: UploadStore;
  worker: DataWorker;
  /** The desktop app imports files the user chose by path; the web host takes uploads only. */
  acceptsPaths: boolean;
  progress: (event: DataProgressEvent) => void;
  log?: (message: string) => void;
}

type Control = { signal: AbortSignal; onProgress?: (progress: Omit<DataProgressEvent, 'jobId'>) => void };

/**
 * The Data step behind the contract: imports into a project, keeps project.json's data section,
 * and answers with the state the page shows (audit and split after the recipe). Heavy work runs
 * in the data worker; edits to one project run one at a time, in the order they came; a job
 * named by the page can be cancelled, even before it starts. Nothing is written unless the whole
 * job succeeds, and a damaged or too-new project.json is never written.
 */
export class DataService {
  private readonly jobs = new Map<string, AbortController>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly o: DataServiceOptions) {}

  import(projectId: string, jobId: string, from: DataImportSource, options: ImportOptions = {}): Promise<DataState> {
    return this.job(projectId, jobId, async (dir, control) => {
      const previous = (await readProjectFile(dir)).data;
      const { path, uploadId } = await this.resolveSource(dir, from, previous);
      let imported: ImportResult | null = null;
      try {
        imported = await this.o.worker.run({ kind: 'import', projectDir: dir, path, options }, control);
        const data: ProjectData = {
          source: from.kind === 'current' && previous ? { ...imported.source, originalName: previous.source.originalName } : imported.source,
          detection: imported.detection,
          options,
          roles: imported.roles,
          labelColumn: imported.labelColumn,
          taskType: imported.taskType,
          recipe: emptyRecipe(),
          split: previous?.split ?? DEFAULT_SPLIT,
        };
        const sourceProfile: SourceProfile = { profile: imported.profile, preview: imported.preview };
        return await this.commit(projectId, dir, data, sourceProfile, control, imported.reused);
      } catch (error) {
        // A fresh copy nobody points to: take it back, so a failed or cancelled import changes nothing.
        if (imported && !imported.reused && imported.source.file !== previous?.source.file) {
          await rm(sourcePath(dir, imported.source), { recursive: true, force: true });
        }
        throw error;
      } finally {
        if (uploadId) await this.o.uploads.remove(uploadId).catch(() => undefined);
      }
    });
  }

  /** Cancels a job by the id the page gave it; false when no such job runs or waits. */
  cancel(jobId: string): { cancelled: boolean } {
    const controller = this.jobs.get(jobId);
    controller?.abort();
    return { cancelled: controller !== undefined };
  }

  /** The state from the cache when it is fresh; else read again (in the queue, as a job). */
  async get(projectId: string, jobId?: string): Promise<DataState | null> {
    const dir = this.o.projects.dirOf(projectId);
    const data = (await readProjectFile(dir)).data;
    if (!data) return null;
    const [source, view] = await Promise.all([readSourceCache(dir, data), readViewCache(dir, data)]);
    if (source && view) return stateOf(data, source, view);
    return this.job(projectId, jobId, async (dirAgain, control) => {
      const current = (await readProjectFile(dirAgain)).data;
      if (!current) return null;
      const profile = await this.sourceProfile(dirAgain, current, control);
      const cached = await readViewCache(dirAgain, current);
      const fresh = cached ?? (await this.o.worker.run({ kind: 'analyze', projectDir: dirAgain, ...analysisOf(current) }, control));
      if (!cached) await this.saveCache(() => writeViewCache(dirAgain, current, fresh));
      return stateOf(current, profile, fresh);
    });
  }

  setRole(projectId: string, column: string, role: ColumnRole, jobId?: string): Promise<DataState> {
    return this.edit(projectId, jobId, (data, { profile }) => {
      if (!(column in data.roles)) throw new CoreError('data_column_not_found', `there is no column "${column}"`, { column });
      if (role === 'label') assertLabel(profile, column);
      const roles = setRole(data.roles, profile, column, role);
      return { ...data, roles, labelColumn: labelOf(roles) };
    });
  }

  applyFix(projectId: string, step: RecipeStep, jobId?: string): Promise<DataState> {
    return this.edit(projectId, jobId, (data) => {
      const known = new Set(data.source.spec.columns);
      for (const column of columnsOf(step)) {
        if (!known.has(column)) throw new CoreError('data_column_not_found', `there is no column "${column}"`, { column });
      }
      // A second click on the same fix adds nothing.
      if (data.recipe.steps.some((s) => sameStep(s, step))) return data;
      return { ...data, recipe: addStep(data.recipe, step) };
    });
  }

  undoFix(projectId: string, stepId: string, jobId?: string): Promise<DataState> {
    return this.edit(projectId, jobId, (data) => ({ ...data, recipe: removeStep(data.recipe, stepId) }));
  }

  setSplit(projectId: string, split: SplitSettings, jobId?: string): Promise<DataState> {
    return this.edit(projectId, jobId, (data) => ({ ...data, split }));
  }

  /** An edit of the data section: change it, audit and split the result, then save it. */
  private edit(projectId: string, jobId: string | undefined, change: (data: ProjectData, source: SourceProfile) => ProjectData): Promise<DataState> {
    return this.job(projectId, jobId, async (dir, control) => {
      const data = (await readProjectFile(dir)).data;
      if (!data) throw new CoreError('data_not_imported', 'no data has been imported into this project yet', { id: projectId });
      const source = await this.sourceProfile(dir, data, control);
      return this.commit(projectId, dir, change(data, source), source, control, false);
    });
  }

  /** Audits and splits `data` as the recipe leaves it, then writes project.json and the caches. */
  private async commit(projectId: string, dir: string, data: ProjectData, source: SourceProfile, control: Control, reused: boolean): Promise<DataState> {
    const view = await this.o.worker.run({ kind: 'analyze', projectDir: dir, ...analysisOf(data) }, control);
    if (control.signal.aborted) throw new CoreError('cancelled', 'cancelled by the user');
    const next: ProjectData = { ...data, recipe: view.recipe, taskType: data.labelColumn ? view.audit.taskType : null };
    await this.o.projects.updateData(projectId, () => next);
    await this.saveCache(() => writeSourceCache(dir, next, source));
    await this.saveCache(() => writeViewCache(dir, next, view));
    return stateOf(next, source, view, reused);
  }

  private async sourceProfile(dir: string, data: ProjectData, control: Control): Promise<SourceProfile> {
    const cached = await readSourceCache(dir, data);
    if (cached) return cached;
    const fresh = await this.o.worker.run({ kind: 'profile', projectDir: dir, source: data.source }, control);
    await this.saveCache(() => writeSourceCache(dir, data, fresh));
    return fresh;
  }

  private async resolveSource(dir: string, from: DataImportSource, previous: ProjectData | undefined): Promise<{ path: string; uploadId: string | null }> {
    switch (from.kind) {
      case 'path':
        if (!this.o.acceptsPaths) throw new CoreError('unsupported_in_host', 'a browser sends files as uploads, not paths', { channel: 'data:import' });
        if (!isAbsolute(from.path)) throw new CoreError('invalid_payload', 'the path must be absolute', { field: 'source.path' });
        return { path: from.path, uploadId: null };
      case 'upload':
        return { path: await this.o.uploads.sourcePath(from.uploadId), uploadId: from.uploadId };
      case 'sample':
        return { path: samplePath(from.sampleId), uploadId: null };
      case 'current':
        if (!previous) throw new CoreError('data_not_imported', 'no data has been imported into this project yet', {});
        return { path: sourcePath(dir, previous.source), uploadId: null };
    }
  }

  /**
   * Runs `work` in the project's queue as a job the page can follow and cancel. The id is
   * registered at once, so a cancel reaches a job that is still waiting its turn.
   */
  private job<T>(projectId: string, jobId: string | undefined, work: (dir: string, control: Control) => Promise<T>): Promise<T> {
    const dir = this.o.projects.dirOf(projectId);
    if (jobId && this.jobs.has(jobId)) return Promise.reject(new CoreError('invalid_payload', `job ${jobId} is already running`, { field: 'jobId' }));
    const controller = new AbortController();
    if (jobId) this.jobs.set(jobId, controller);
    const control: Control = {
      signal: controller.signal,
      onProgress: jobId ? (progress) => this.o.progress({ ...progress, jobId }) : undefined,
    };
    const run = async () => {
      if (controller.signal.aborted) throw new CoreError('cancelled', 'cancelled by the user');
      return work(dir, control);
    };
    const previous = this.queues.get(projectId) ?? Promise.resolve();
    const next = previous.then(run, run);
    this.queues.set(projectId, next.catch(() => undefined));
    return next.finally(() => {
      if (jobId && this.jobs.get(jobId) === controller) this.jobs.delete(jobId);
    });
  }

  /** Caches only save time: failing to write one is logged, never an error for the user. */
  private async saveCache(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.o.log?.(`data cache not written: ${(error as Error).message}`);
    }
  }
}

function analysisOf(data: ProjectData) {
  return { source: data.source, roles: data.roles, recipe: data.recipe, split: data.split };
}

function stateOf(data: ProjectData, source: SourceProfile, view: CachedView, reused = false): DataState {
  return {
    source: data.source,
    detection: data.detection,
    options: data.options,
    roles: data.roles,
    labelColumn: data.labelColumn,
    taskType: data.taskType,
    preview: source.preview,
    audit: view.audit,
    recipe: describeRecipe(data.recipe),
    split: data.split,
    splitSummary: view.split,
    reused,
  };
}

/** Every column a step names (to refuse a fix for a column the data does not have). */
function columnsOf(step: RecipeStep): string[] {
  const s = step as { columns?: string[]; column?: string; inputColumns?: string[]; labelColumn?: string };
  return [...(s.columns ?? []), ...(s.column ? [s.column] : []), ...(s.inputColumns ?? []), ...(s.labelColumn ? [s.labelColumn] : [])];
}

/** The same fix, whatever its id and fitted values. */
function sameStep(a: RecipeStep, b: RecipeStep): boolean {
  const strip = (step: RecipeStep) => {
    const { id: _id, fitted: _fitted, ...rest } = step as RecipeStep & { fitted?: unknown };
    return JSON.stringify(rest, Object.keys(rest).sort());
  };
  return strip(a) === strip(b);
}
