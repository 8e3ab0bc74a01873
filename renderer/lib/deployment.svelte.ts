import type { PickedFile } from '../../main/contract/api';
import type { Row } from '../../main/contract/data';
import type { DeploymentView, ExportEntry, ModelRef, OpenedModel, PickedSource, ServingView } from '../../main/contract/deployment-channels';
import type { EvaluationReport } from '../../main/contract/evaluation';
import type { ExportFormat, ExportResult, ParityResult, Prediction } from '../../main/contract/export';
import type { Locale } from '../../main/contract/schemas';
import { api } from './api';
import { pickWithDialog, sourceFromPicked, type DialogOutcome } from './file-source';
import { notices } from './notices.svelte';

export type FileReport = { fileName: string; label: string; rows: number; skipped: number; report: EvaluationReport };
export type LabelChoice = { fileName: string; expected: string; columns: string[]; source: PickedSource };

/** A picked file (dialog path or upload) as a source the deployment channels take. */
async function pickedSource(outcome: DialogOutcome | { kind: 'files'; files: PickedFile[] }): Promise<PickedSource | null> {
  if (outcome.kind === 'chosen') return outcome.source.kind === 'current' ? null : outcome.source;
  if (outcome.kind === 'failed') {
    notices.fail(outcome.error);
    return null;
  }
  if (outcome.kind !== 'files' || outcome.files.length === 0) return null;
  const uploaded = await sourceFromPicked(outcome.files);
  if (!uploaded.ok) {
    notices.fail(uploaded.error);
    return null;
  }
  return uploaded.value.kind === 'current' ? null : uploaded.value;
}

/**
 * The Deployment step of one project: exporting a run (with the parity check) and saving the
 * file, an opened `.mpmodel` (try it, score it on a labelled file), and the local prediction API.
 */
export class DeploymentStepState {
  view = $state.raw<DeploymentView | null>(null);
  runId = $state<string | null>(null);
  format = $state<ExportFormat>('mpmodel');
  busy = $state<'export' | 'open' | 'file' | 'serve' | null>(null);
  lastExport = $state.raw<{ entry: ExportEntry; result: ExportResult; parity: ParityResult | null } | null>(null);
  opened = $state.raw<OpenedModel | null>(null);
  fileReport = $state.raw<FileReport | null>(null);
  labelChoice = $state.raw<LabelChoice | null>(null);
  serving = $state.raw<ServingView | null>(null);

  constructor(readonly projectId: string) {}

  async load(): Promise<void> {
    const result = await api.deploymentGet({ projectId: this.projectId });
    if (!result.ok) return notices.fail(result.error);
    this.view = result.value;
    this.serving = result.value.serving;
    this.runId ??= result.value.runId;
  }

  listen(): () => void {
    return api.on('deployment:serving', (view: ServingView) => (this.serving = view));
  }

  async export(language: Locale): Promise<void> {
    if (!this.runId || this.busy) return;
    notices.clear();
    this.busy = 'export';
    this.lastExport = null;
    const result = await api.deploymentExport({ projectId: this.projectId, runId: this.runId, format: this.format, language });
    this.busy = null;
    if (!result.ok) return notices.fail(result.error);
    this.lastExport = result.value;
    await this.load();
  }

  /** Desktop: the native save dialog, then a copy there. (The browser downloads by link instead.) */
  async save(entry: ExportEntry, title: string): Promise<void> {
    notices.clear();
    const filters = entry.format === 'mpmodel' ? [{ name: 'ModelPilot model', extensions: ['mpmodel'] }] : undefined;
    const chosen = await api.dialogSaveFile({ title, defaultName: entry.name, filters });
    if (!chosen.ok) return notices.fail(chosen.error);
    if (!chosen.value.path) return;
    const saved = await api.deploymentSaveAs({ projectId: this.projectId, name: entry.name, path: chosen.value.path });
    if (!saved.ok) return notices.fail(saved.error);
    notices.say('deployment.export.saved', { path: saved.value.path });
  }

  /** Asks the host's dialog for a file; `input` means the page must open its own file input. */
  dialog(title: string, filterName: string, extensions: readonly string[]): Promise<DialogOutcome> {
    return pickWithDialog('file', title, filterName, extensions);
  }

  async openModel(outcome: DialogOutcome | { kind: 'files'; files: PickedFile[] }): Promise<void> {
    notices.clear();
    this.busy = 'open';
    const source = await pickedSource(outcome);
    const result = source ? await api.deploymentOpenModel({ projectId: this.projectId, source }) : null;
    this.busy = null;
    if (!result) return;
    if (!result.ok) return notices.fail(result.error);
    this.opened = result.value;
    this.fileReport = null;
    this.labelChoice = null;
  }

  /** Scores the opened model on a labelled file; asks for the answer column when the file names it otherwise. */
  async evaluateFile(outcome: DialogOutcome | { kind: 'files'; files: PickedFile[] } | { kind: 'label'; label: string }): Promise<void> {
    if (!this.opened) return;
    notices.clear();
    this.busy = 'file';
    const source = outcome.kind === 'label' ? (this.labelChoice?.source ?? null) : await pickedSource(outcome);
    const label = outcome.kind === 'label' ? outcome.label : undefined;
    const result = source ? await api.deploymentEvaluateFile({ projectId: this.projectId, model: this.opened.ref, source, label }) : null;
    this.busy = null;
    if (!result) return;
    if (!result.ok) return notices.fail(result.error);
    if (result.value.kind === 'choose_label') {
      this.labelChoice = { ...result.value, source: source! };
      this.fileReport = null;
    } else {
      this.labelChoice = null;
      this.fileReport = result.value;
    }
  }

  /** Answers of a model for typed input, as "try it" shows them. */
  async predict(model: ModelRef, input: { text: string } | { row: Row }): Promise<{ labels: string[]; prediction: Prediction } | null> {
    const payload = 'text' in input ? { texts: [input.text] } : { rows: [input.row] };
    const result = await api.deploymentPredict({ projectId: this.projectId, model, ...payload });
    if (!result.ok) {
      notices.fail(result.error);
      return null;
    }
    return { labels: result.value.labels, prediction: result.value.predictions[0] };
  }

  async serve(model: ModelRef, port: number): Promise<void> {
    notices.clear();
    this.busy = 'serve';
    const result = await api.deploymentServe({ projectId: this.projectId, model, port });
    this.busy = null;
    if (!result.ok) return notices.fail(result.error);
    this.serving = result.value;
  }

  async stop(): Promise<void> {
    notices.clear();
    const result = await api.deploymentStopServing();
    if (!result.ok) return notices.fail(result.error);
    this.serving = result.value;
  }
}
