import type { Row } from '../../main/contract/data';
import type { ClassificationScores, CompareView, EvaluationView, ExampleRow } from '../../main/contract/evaluation';
import type { EvaluationProgress } from '../../main/contract/evaluation-channels';
import type { Prediction } from '../../main/contract/export';
import { api } from './api';
import { notices } from './notices.svelte';

/** The slider's thresholds are 0.01 … 0.99: index i is (i + 1) / 100 (the report's sweep has one point per index). */
export const sliderIndexOf = (threshold: number): number => Math.min(98, Math.max(0, Math.round(threshold * 100) - 1));
export const thresholdAt = (index: number): number => (index + 1) / 100;
/** The slider saves this long after it stops moving. */
const SAVE_MS = 400;

export type ExampleCell = { kind: 'cell'; actual: string; predicted: string } | { kind: 'misses' };

/**
 * The Evaluation step of one project: the run on screen and its evaluation (scored on first
 * visit, with progress), the threshold slider (moved in the page from the report's sweep, saved
 * shortly after it stops), the examples of a clicked cell, "try it", and the runs compared.
 */
export class EvaluationStepState {
  view = $state.raw<EvaluationView | null>(null);
  loading = $state(false);
  progress = $state.raw<{ done: number; total: number; waiting: boolean } | null>(null);
  /** The slider position (binary models), ahead of what is saved while it moves. */
  sliderIndex = $state(49);
  cell = $state.raw<ExampleCell | null>(null);
  examples = $state.raw<{ total: number; rows: ExampleRow[] } | null>(null);
  compare = $state.raw<CompareView | null>(null);
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private loadSeq = 0;

  constructor(readonly projectId: string) {}

  get evaluation() {
    return this.view?.evaluation ?? null;
  }

  /** The scores the page shows: the slider's point of the sweep for a binary model, else the report's. */
  get scores(): ClassificationScores | null {
    const report = this.evaluation?.report;
    if (report?.kind !== 'classification') return null;
    return report.sweep[this.sliderIndex] ?? report.scores;
  }

  get threshold(): number | null {
    return this.evaluation?.report.kind === 'classification' && this.evaluation.report.sweep.length ? thresholdAt(this.sliderIndex) : null;
  }

  /** Loads a run's evaluation (the default run when none is named); it is scored first if it never was. */
  async load(runId?: string): Promise<void> {
    const seq = ++this.loadSeq;
    this.flush();
    this.loading = true;
    this.cell = null;
    this.examples = null;
    const result = await api.evaluationGet({ projectId: this.projectId, runId });
    if (seq !== this.loadSeq) return;
    this.loading = false;
    this.progress = null;
    if (!result.ok) return notices.fail(result.error);
    this.show(result.value);
    void this.loadCompare();
  }

  listen(): () => void {
    return api.on('evaluation:progress', (event: EvaluationProgress) => {
      if (event.projectId === this.projectId && this.loading) this.progress = { done: event.done, total: event.total, waiting: event.waiting };
    });
  }

  /** Moves the slider: the page follows at once; the threshold is saved with the run shortly after. */
  slide(index: number): void {
    this.sliderIndex = index;
    if (this.cell?.kind === 'cell') void this.loadExamples(this.cell);
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.saveThreshold(), SAVE_MS);
  }

  /** Saves a pending slider move now (leaving the step). */
  flush(): void {
    if (!this.saveTimer) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = null;
    void this.saveThreshold();
  }

  async loadExamples(cell: ExampleCell): Promise<void> {
    const runId = this.view?.runId;
    if (!runId) return;
    this.cell = cell;
    const result = await api.evaluationExamples({ projectId: this.projectId, runId, filter: cell, threshold: this.threshold ?? undefined, limit: 50 });
    if (!result.ok) return notices.fail(result.error);
    if (this.cell === cell) this.examples = result.value;
  }

  /** One answer for typed input (a text, or a row of values). */
  async tryIt(input: { text: string } | { row: Row }): Promise<{ labels: string[]; prediction: Prediction } | null> {
    const runId = this.view?.runId;
    if (!runId) return null;
    const result = await api.evaluationTryIt({ projectId: this.projectId, runId, ...input });
    if (!result.ok) {
      notices.fail(result.error);
      return null;
    }
    return result.value;
  }

  async loadCompare(): Promise<void> {
    const result = await api.evaluationCompare({ projectId: this.projectId });
    if (result.ok) this.compare = result.value;
  }

  /** "Use this run": saved for the Deployment step. */
  async choose(runId: string): Promise<void> {
    notices.clear();
    const result = await api.evaluationChooseRun({ projectId: this.projectId, runId });
    if (!result.ok) return notices.fail(result.error);
    this.compare = result.value;
    if (this.view) this.view = { ...this.view, chosenRunId: result.value.chosenRunId };
    notices.say('evaluation.compare.chosen');
  }

  private show(view: EvaluationView): void {
    this.view = view;
    const threshold = view.evaluation?.threshold;
    if (threshold != null) this.sliderIndex = sliderIndexOf(threshold);
  }

  private async saveThreshold(): Promise<void> {
    this.saveTimer = null;
    const runId = this.view?.runId;
    const threshold = this.threshold;
    if (!runId || threshold === null || threshold === this.evaluation?.threshold) return;
    const result = await api.evaluationSetThreshold({ projectId: this.projectId, runId, threshold });
    if (!result.ok) return notices.fail(result.error);
    if (result.value.runId !== this.view?.runId) return;
    // The targets are checked again at the saved threshold; the slider (the user's) stays where it is.
    this.view = result.value;
  }
}
