import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { z } from 'zod';
import type { ProjectData } from '../../contract/data';
import {
  PROJECT_FORMAT_VERSION,
  type Project,
  type ProjectFile,
  type ProjectSummary,
  type StepId,
} from '../../contract/schemas';
import { CoreError, isCoreError } from '../errors';
import { writeJsonAtomic } from '../fs/atomic-write';
import { exists } from '../fs/exists';
import { folderNameFor } from './folder-name';
import { PROJECT_FILE, readProjectFile, writeProjectFile } from './project-file';

/** Sub-folders every project has (DESIGN.md: a project is a folder the user can copy or zip). */
const PROJECT_SUBFOLDERS = ['data', 'runs', 'exports'];
const RECENT_FILE = join('.modelpilot', 'recent.json');
const recentSchema = z.record(z.string(), z.string());

export interface ProjectPatch {
  name?: string;
  description?: string;
  currentStep?: StepId;
  completedSteps?: StepId[];
}

/** Projects on disk under one home folder. Writes to one project are serialized. */
export class ProjectStore {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(readonly home: string) {}

  async list(): Promise<ProjectSummary[]> {
    await mkdir(this.home, { recursive: true });
    const recent = await this.readRecent();
    const entries = await readdir(this.home, { withFileTypes: true });
    const summaries: ProjectSummary[] = [];
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const dir = join(this.home, entry.name);
      if (!(await exists(join(dir, PROJECT_FILE)))) continue;
      summaries.push(await this.summarize(entry.name, dir, recent[entry.name] ?? null));
    }
    return summaries.sort((a, b) => (b.openedAt ?? b.updatedAt ?? '').localeCompare(a.openedAt ?? a.updatedAt ?? ''));
  }

  async create(name: string, description = ''): Promise<Project> {
    await mkdir(this.home, { recursive: true });
    const now = new Date().toISOString();
    const file: ProjectFile = {
      formatVersion: PROJECT_FORMAT_VERSION,
      name: name.trim(),
      description,
      createdAt: now,
      updatedAt: now,
      currentStep: 'needs',
      completedSteps: [],
    };
    const base = folderNameFor(name);
    for (let n = 1; n < 1000; n++) {
      const id = n === 1 ? base : `${base}-${n}`;
      const dir = join(this.home, id);
      try {
        await mkdir(dir); // fails if taken, so two creates never share a folder
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw new CoreError('io_error', `cannot create ${dir}: ${(error as Error).message}`, { path: dir });
      }
      for (const sub of PROJECT_SUBFOLDERS) await mkdir(join(dir, sub), { recursive: true });
      await writeProjectFile(dir, file);
      await this.touchRecent(id);
      return { ...file, id, dir };
    }
    throw new CoreError('already_exists', `too many projects named ${name}`, { name });
  }

  async open(id: string): Promise<Project> {
    const dir = this.dirOf(id);
    const file = await readProjectFile(dir);
    await this.touchRecent(id);
    return { ...file, id, dir };
  }

  async update(id: string, patch: ProjectPatch): Promise<Project> {
    return this.withLock(id, async () => {
      const dir = this.dirOf(id);
      const current = await readProjectFile(dir); // throws on corrupt / too new: never overwritten
      const next: ProjectFile = {
        ...current,
        ...definedOnly(patch),
        name: patch.name?.trim() ?? current.name,
        updatedAt: new Date().toISOString(),
      };
      if (patch.completedSteps) next.completedSteps = [...new Set(patch.completedSteps)];
      await writeProjectFile(dir, next);
      return { ...next, id, dir };
    });
  }

  /**
   * Replaces the data section under the project's write lock. `change` gets the section as it is
   * on disk at that moment (so two edits never overwrite each other) and may throw to write
   * nothing. A damaged or too-new project.json is reported and never written.
   */
  async updateData(id: string, change: (current: ProjectData | undefined) => ProjectData): Promise<Project> {
    return this.withLock(id, async () => {
      const dir = this.dirOf(id);
      const current = await readProjectFile(dir);
      const next: ProjectFile = { ...current, data: change(current.data), updatedAt: new Date().toISOString() };
      await writeProjectFile(dir, next);
      return { ...next, id, dir };
    });
  }

  /**
   * Sets the Needs, Model and Training sections (requirements, model choice, training settings) under the
   * project's write lock; `change` sees project.json as it is on disk at that moment. Other
   * sections are kept as they are. A damaged or too-new project.json is never written.
   */
  async updateSections(id: string, change: (current: ProjectFile) => Partial<Pick<ProjectFile, 'model' | 'training' | 'needs' | 'evaluation'>>): Promise<Project> {
    return this.withLock(id, async () => {
      const dir = this.dirOf(id);
      const current = await readProjectFile(dir);
      const next: ProjectFile = { ...current, ...change(current), updatedAt: new Date().toISOString() };
      await writeProjectFile(dir, next);
      return { ...next, id, dir };
    });
  }

  async delete(id: string): Promise<{ id: string }> {
    return this.withLock(id, async () => {
      const dir = this.dirOf(id);
      if (!(await exists(join(dir, PROJECT_FILE)))) throw new CoreError('not_found', `no project ${id}`, { id });
      await rm(dir, { recursive: true, force: true });
      const recent = await this.readRecent();
      delete recent[id];
      await this.writeRecent(recent);
      return { id };
    });
  }

  /** Resolves a project id to its folder, refusing anything that would leave the home folder. */
  dirOf(id: string): string {
    const home = resolve(this.home);
    const dir = resolve(home, id);
    if (!dir.startsWith(home + sep) || id.includes('/') || id.includes('\\')) {
      throw new CoreError('not_found', `no project ${id}`, { id });
    }
    return dir;
  }

  private async summarize(id: string, dir: string, openedAt: string | null): Promise<ProjectSummary> {
    try {
      const file = await readProjectFile(dir);
      return { id, dir, status: 'ok', name: file.name, updatedAt: file.updatedAt, openedAt, completedSteps: file.completedSteps, problem: null };
    } catch (error) {
      if (!isCoreError(error)) throw error;
      const status = error.code === 'project_too_new' ? 'too_new' : 'corrupt';
      return { id, dir, status, name: id, updatedAt: null, openedAt, completedSteps: [], problem: error.message };
    }
  }

  private async readRecent(): Promise<Record<string, string>> {
    try {
      const parsed = recentSchema.safeParse(JSON.parse(await readFile(join(this.home, RECENT_FILE), 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {}; // a missing or damaged recent list only loses the ordering
    }
  }

  private async writeRecent(recent: Record<string, string>): Promise<void> {
    await mkdir(join(this.home, '.modelpilot'), { recursive: true });
    await writeJsonAtomic(join(this.home, RECENT_FILE), recent);
  }

  private touchRecent(id: string): Promise<void> {
    return this.withLock(RECENT_FILE, async () => {
      const recent = await this.readRecent();
      recent[id] = new Date().toISOString();
      await this.writeRecent(recent);
    });
  }

  private withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.locks.set(key, next.catch(() => undefined));
    return next;
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
