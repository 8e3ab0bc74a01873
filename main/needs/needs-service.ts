/**
 * The Needs step behind the contract: the requirement sheet in project.json (written under the
 * project's lock, with requirements.md beside it in the user's language), the model advisor, the
 * large-model planner and the sample projects. Facts about the data come from the Data step's
 * caches (never recomputed here), so these calls stay fast.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataImportSource, DataState } from '../contract/data-channels';
import type { ProjectData } from '../contract/data';
import { projectNeedsSchema, type ProjectNeeds } from '../contract/needs';
import type { AdviceView, NeedsPatch, NeedsView, SampleId, SampleInfo } from '../contract/needs-channels';
import type { PlannerAssumptions, PlannerView } from '../contract/planner';
import type { Project, ProjectFile } from '../contract/schemas';
import type { ModelEstimate, ModelId } from '../contract/training';
import { listCatalog } from '../core/models/catalog';
import { rankModels, recommendModel } from '../core/models/recommend';
import { checkDataForTargets, type SplitFacts } from '../core/needs/data-check';
import { renderRequirements, REQUIREMENTS_FILE, writeRequirements } from '../core/needs/requirements-sheet';
import { applyPatch } from '../core/needs/apply-patch';
import { needsGaps, needsLargeModel, SCENARIOS } from '../core/needs/scenarios';
import { suggestTargets } from '../core/needs/suggest';
import { defaultAssumptions, GPU_PRESETS, planLargeModel, tokensForChars } from '../core/planner/plan';
import { readProjectFile } from '../core/projects/project-file';
import type { ProjectStore } from '../core/projects/project-store';
import { getSample, sampleInfo, SAMPLES } from '../core/samples/samples';
import type { SettingsStore } from '../core/settings/settings-store';
import { dataKeyOf, readEstimates } from '../core/training/estimate-cache';
import { resolveSetup } from '../core/training/project-setup';
import { readRun } from '../core/training/run-store';
import { readSourceCache, readViewCache, type CachedView } from '../data/data-cache';

export interface NeedsServiceOptions {
  projects: ProjectStore;
  settings: SettingsStore;
  /** The data:import handler: imports a source into a project through the data core. */
  importData: (projectId: string, source: DataImportSource) => Promise<DataState>;
  /** The data:setRole handler, to make a sample's answer column the one to predict. */
  setLabel: (projectId: string, column: string) => Promise<DataState>;
  log?: (message: string) => void;
}

/** What the Data step's caches say about a project's data (null parts when not analyzed yet). */
interface DataFacts {
  data: ProjectData | undefined;
  view: CachedView | null;
  split: SplitFacts | null;
  classes: string[];
  meanTextLength: number | null;
}

export class NeedsService {
  constructor(private readonly o: NeedsServiceOptions) {}

  async get(projectId: string): Promise<NeedsView> {
    const dir = this.o.projects.dirOf(projectId);
    return this.view(dir, await readProjectFile(dir));
  }

  /** Merges the patch under the project's lock, then rewrites requirements.md in the user's language. */
  async update(projectId: string, patch: NeedsPatch): Promise<NeedsView> {
    const project = await this.o.projects.updateSections(projectId, (current) => ({ needs: applyPatch(needsOf(current), patch) }));
    const { locale } = await this.o.settings.get();
    await writeRequirements(project.dir, renderRequirements(project.name, needsOf(project), locale, project.updatedAt));
    return this.view(project.dir, project);
  }

  async advise(projectId: string): Promise<AdviceView> {
    const dir = this.o.projects.dirOf(projectId);
    const project = await readProjectFile(dir);
    const needs = needsOf(project);
    const facts = await this.dataFacts(dir, project);
    const setup = resolveSetup(project.data, facts.view?.split.counts.train ?? null);
    const base = {
      targets: needs.targets,
      maxLatencyMs: needs.maxLatencyMs ?? null,
      maxModelSizeMB: needs.maxModelSizeMB ?? null,
      needsTask: needs.task,
      largeModel: needsLargeModel(needs),
      dataChecks: facts.split ? checkDataForTargets(needs.targets, facts.split) : [],
      facts: {
        trainRows: setup.trainRows,
        testRows: facts.view?.split.counts.test ?? null,
        classes: facts.classes.length,
        meanTextLength: facts.meanTextLength,
        inputColumns: setup.inputColumns.length,
      },
    };
    if (!setup.task || !project.data) return { ...base, ranking: [] };
    const estimates = await this.estimatesOf(dir, project);
    const ranking = rankModels(listCatalog(setup.task), {
      task: setup.task,
      trainRows: setup.trainRows,
      classes: facts.classes.length,
      meanTextLength: facts.meanTextLength,
      inputColumns: setup.inputColumns.length,
      targets: needs.targets,
      maxLatencyMs: needs.maxLatencyMs,
      maxModelSizeMB: needs.maxModelSizeMB,
      estimates: Object.fromEntries(estimates.map((e) => [e.modelId, e])),
    });
    return { ...base, ranking };
  }

  /** The planner for these assumptions, or defaults sized from the project's data. */
  async plan(projectId: string | undefined, assumptions: PlannerAssumptions | undefined): Promise<PlannerView> {
    let local: PlannerView['local'] = null;
    let start = defaultAssumptions();
    if (projectId) {
      const dir = this.o.projects.dirOf(projectId);
      const project = await readProjectFile(dir);
      const facts = await this.dataFacts(dir, project);
      const setup = resolveSetup(project.data, facts.view?.split.counts.train ?? null);
      if (setup.trainRows > 0) {
        const cjk = await this.cjkShare(dir, project.data);
        start = defaultAssumptions(setup.trainRows, facts.meanTextLength ? tokensForChars(facts.meanTextLength, cjk) : 50);
      }
      if (setup.task && project.data) local = await this.localModel(dir, project, setup.task, setup.trainRows);
    }
    const chosen = assumptions ?? start;
    return { assumptions: chosen, presets: [...GPU_PRESETS], plan: planLargeModel(chosen), local };
  }

  samples(): SampleInfo[] {
    return SAMPLES.map(sampleInfo);
  }

  /** A new project with a sample's data imported, its label set and its scenario pre-set; removed again if that fails. */
  async createFromSample(sampleId: SampleId, name?: string): Promise<Project> {
    const sample = getSample(sampleId);
    const { locale } = await this.o.settings.get();
    const created = await this.o.projects.create(name ?? sample.name[locale], sample.description[locale]);
    try {
      await this.o.projects.updateSections(created.id, () => ({ needs: projectNeedsSchema.parse(sample.needs) }));
      const state = await this.o.importData(created.id, { kind: 'sample', sampleId });
      if (state.labelColumn !== sample.labelColumn) await this.o.setLabel(created.id, sample.labelColumn);
    } catch (error) {
      await this.o.projects.delete(created.id).catch(() => undefined);
      throw error;
    }
    return this.o.projects.open(created.id);
  }

  // ----- helpers ------------------------------------------------------------------------------

  private async view(dir: string, project: ProjectFile): Promise<NeedsView> {
    const needs = needsOf(project);
    const facts = await this.dataFacts(dir, project);
    const { locale } = await this.o.settings.get();
    const spread = labelSpread(facts.view);
    return {
      needs,
      gaps: needsGaps(needs),
      suggestions: suggestTargets(needs, facts.classes, spread),
      scenarios: SCENARIOS.map((s) => ({ ...s })),
      classes: facts.classes,
      dataTask: resolveSetup(project.data).task,
      dataChecks: facts.split ? checkDataForTargets(needs.targets, facts.split) : [],
      largeModel: needsLargeModel(needs),
      requirementsPath: join(dir, REQUIREMENTS_FILE),
      requirementsMarkdown: renderRequirements(project.name, needs, locale, project.updatedAt),
    };
  }

  private async dataFacts(dir: string, project: ProjectFile): Promise<DataFacts> {
    const data = project.data;
    const view = data ? await readViewCache(dir, data).catch(() => null) : null;
    if (!data || !view) return { data, view: null, split: null, classes: [], meanTextLength: null };
    const audit = view.audit;
    const classes = (audit.classes ?? []).map((c) => c.label);
    const setup = resolveSetup(data, view.split.counts.train);
    const texts = audit.columns.filter((c) => setup.inputColumns.includes(c.name) && c.role === 'text' && c.length);
    const meanTextLength = texts.length ? texts.reduce((sum, c) => sum + c.length!.mean, 0) : null;
    const counts = view.split.counts;
    const total = Math.max(1, counts.train + counts.validation + counts.test);
    // Unstratified splits keep no per-class counts: spread each class by the split's shares.
    const perClass =
      view.split.perClass ??
      (audit.classes
        ? Object.fromEntries(
            audit.classes.map((c) => [c.label, { train: Math.floor((c.count * counts.train) / total), validation: Math.floor((c.count * counts.validation) / total), test: Math.floor((c.count * counts.test) / total) }]),
          )
        : null);
    return { data, view, split: { task: setup.task, counts, perClass }, classes, meanTextLength };
  }

  private async estimatesOf(dir: string, project: ProjectFile): Promise<ModelEstimate[]> {
    if (!project.data) return [];
    const knobs = project.model ? { [project.model.modelId]: project.model.hyperparameters } : {};
    return readEstimates(dir, dataKeyOf(project.data), knobs).catch(() => []);
  }

  /** The project's own model for the planner's comparison: measured figures, else its latest run's size. */
  private async localModel(dir: string, project: ProjectFile, task: NonNullable<ReturnType<typeof resolveSetup>['task']>, trainRows: number): Promise<PlannerView['local']> {
    const modelId = (project.model?.modelId as ModelId | undefined) ?? recommendModel({ task, trainRows }).modelId;
    const estimate = (await this.estimatesOf(dir, project)).find((e) => e.modelId === modelId);
    const run = estimate ? null : await latestRunOf(join(dir, 'runs'), modelId);
    return {
      modelId,
      paramCount: estimate?.paramCount ?? run?.paramCount ?? null,
      memoryBytes: estimate?.memoryBytes ?? null,
      totalSeconds: estimate?.totalSeconds ?? null,
      trainRows,
    };
  }

  /** Share of CJK characters in the first rows' texts (a Chinese token covers fewer characters). */
  private async cjkShare(dir: string, data: ProjectData | undefined): Promise<number> {
    const source = data ? await readSourceCache(dir, data).catch(() => null) : null;
    const text = (source?.preview ?? []).flat().filter((c): c is string => typeof c === 'string').join('');
    if (!text) return 0;
    const cjk = text.match(/[\u3400-\u9fff\uf900-\ufaff]/g)?.length ?? 0;
    return cjk / text.length;
  }
}

/**
 * The newest run of a model that knows its size. Read only: run-store's listRuns would mark runs
 * queued or training in the compute worker as interrupted, and this is not the worker.
 */
async function latestRunOf(runsDir: string, modelId: string): Promise<{ paramCount: number | null } | null> {
  const names = await readdir(runsDir).catch(() => [] as string[]);
  for (const name of names.sort().reverse()) {
    if (name.startsWith('.')) continue;
    const run = await readRun(join(runsDir, name)).catch(() => null);
    if (run && run.config.modelId === modelId && run.paramCount !== null) return run;
  }
  return null;
}

function needsOf(project: ProjectFile): ProjectNeeds {
  return project.needs ?? projectNeedsSchema.parse({});
}

/** The standard deviation of the number to predict (regression), for a suggested error in its units. */
function labelSpread(view: CachedView | null): number | undefined {
  const label = view?.audit.labelColumn;
  return view?.audit.columns.find((c) => c.name === label)?.numeric?.std;
}
