/**
 * The Deployment step behind the contract: exports a run into the project's exports/ folder and
 * checks that the file reproduces the app's answers on the test split (loaded afresh in the
 * compute worker), saves a copy where the user wants it (desktop), opens any `.mpmodel` to try it
 * or to score it on a new labelled file, and runs the local prediction API.
 */
import { copyFile, cp, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DeploymentView, ExportEntry, ModelRef, OpenedModel, PickedSource, ServingView } from '../contract/deployment-channels';
import type { EvaluationReport } from '../contract/evaluation';
import type { ExportFormat, ExportResult, ModelSource, ParityResult, PredictResponse } from '../contract/export';
import type { Row } from '../contract/data';
import type { Locale, ProjectFile } from '../contract/schemas';
import { CoreError } from '../core/errors';
import { buildReport } from '../core/evaluation/evaluate-run';
import { scoreLabelledRows } from '../core/evaluation/labelled-rows';
import { targetInputOf, testMetricsOf } from '../core/evaluation/summary';
import { readBundle } from '../core/export/bundle-reader';
import { exportRun } from '../core/export/export-bundle';
import { describeExport, exportNameFor, exportPath, listExports, openedModelId, openedModelPath, type ExportFile } from '../core/export/exports-folder';
import { checkParity } from '../core/export/parity';
import { writeFileAtomic } from '../core/fs/atomic-write';
import { exists } from '../core/fs/exists';
import { readInputTable } from '../core/inference/input-table';
import { rowsFromTexts } from '../core/inference/predictor';
import { listCatalog } from '../core/models/catalog';
import { readProjectFile } from '../core/projects/project-file';
import type { ProjectStore } from '../core/projects/project-store';
import { readRun } from '../core/training/run-store';
import type { UploadStore } from '../core/uploads/upload-store';
import type { EvaluationService } from '../evaluation/evaluation-service';
import type { ComputeWorker } from '../training/compute-worker';
import { sharedComputeWorker } from '../training/shared-worker';
import { servingView, startServingModel, stopServingModel } from './serving';

export interface DeploymentServiceOptions {
  projects: ProjectStore;
  uploads: UploadStore;
  evaluation: EvaluationService;
  /** The desktop app names files by path; the browser host takes uploads only and serves downloads. */
  acceptsPaths: boolean;
  log?: (message: string) => void;
}

/** Rows per prediction call when scoring a labelled file (progress stays steady, memory flat). */
const FILE_CHUNK_ROWS = 2000;

export class DeploymentService {
  private readonly modelNames = Object.fromEntries(listCatalog().map((e) => [e.id, e.name]));

  constructor(private readonly o: DeploymentServiceOptions) {}

  async view(projectId: string): Promise<DeploymentView> {
    const { dir, project } = await this.open(projectId);
    const runs = await this.o.evaluation.evaluableRuns(dir);
    const list = runs.map((r) => ({ runId: r.runId, createdAt: r.createdAt, modelId: r.config.modelId, status: r.status, evaluated: false }));
    const chosenRunId = this.o.evaluation.chosen(project, list);
    return {
      runs: list,
      runId: chosenRunId ?? list[0]?.runId ?? null,
      chosenRunId,
      modelNames: this.modelNames,
      exports: (await listExports(dir)).map((e) => this.entry(projectId, e)),
      serving: servingView(),
      downloads: !this.o.acceptsPaths,
    };
  }

  /**
   * Exports a run (its test scores go into the manifest and model card; it is evaluated first if
   * it was not), then checks a `.mpmodel` against the run on the test split.
   */
  async export(projectId: string, runId: string, format: ExportFormat, language: Locale): Promise<{ entry: ExportEntry; result: ExportResult; parity: ParityResult | null }> {
    const { dir, project } = await this.open(projectId);
    const runDir = join(dir, 'runs', runId);
    await readRun(runDir);
    const evaluation = await this.o.evaluation.evaluationOf(projectId, runDir);
    const name = exportNameFor(projectId, runId, format);
    const result = await exportRun(
      { runDir, outPath: exportPath(dir, name), format, language, name: project.name, testMetrics: testMetricsOf(evaluation.report) },
      { targets: { list: project.needs?.targets ?? [], metrics: targetInputOf(evaluation.report) } },
    );
    let parity: ParityResult | null = null;
    if (format === 'mpmodel') {
      const rows = await this.o.evaluation.testRowsOf(runDir);
      const worker = this.worker();
      if (rows.length) parity = await checkParity((request) => worker.predict(request), { runDir, bundlePath: result.path, rows, cleaned: true });
    }
    const file = await describeExport(result.path, name);
    if (!file) throw new CoreError('internal', `the export ${name} is not where it was written`, {});
    return { entry: this.entry(projectId, file), result, parity };
  }

  /** Desktop only: copies an export to the path the save dialog gave. */
  async saveAs(projectId: string, name: string, target: string): Promise<{ path: string }> {
    if (!this.o.acceptsPaths) throw new CoreError('unsupported_in_host', 'a browser downloads exports instead', { channel: 'deployment:saveAs' });
    const source = exportPath(this.o.projects.dirOf(projectId), name);
    const info = await stat(source).catch(() => null);
    if (!info) throw new CoreError('not_found', `no export ${name}`, { file: name });
    try {
      await mkdir(dirname(target), { recursive: true });
      if (info.isDirectory()) {
        await rm(target, { recursive: true, force: true });
        await cp(source, target, { recursive: true });
      } else {
        // Copied beside the target, then renamed: the user never finds half a file there.
        const temp = join(dirname(target), `.${basename(target)}.${process.pid}.part`);
        await copyFile(source, temp);
        await rename(temp, target);
      }
    } catch (error) {
      throw new CoreError('io_error', `cannot write ${target}: ${(error as Error).message}`, { path: target });
    }
    return { path: target };
  }

  /** Checks a `.mpmodel` the user picked, keeps a copy in the project and loads it in the worker. */
  async openModel(projectId: string, source: PickedSource): Promise<OpenedModel> {
    const dir = this.o.projects.dirOf(projectId);
    const { path, uploadId } = await this.pickedPath(source);
    const contents = await readBundle(path); // refuses damaged, unsafe and too-new files before anything is kept
    const bytes = await readFile(path);
    const id = openedModelId(bytes);
    const kept = openedModelPath(dir, id);
    if (!(await exists(kept))) {
      await mkdir(dirname(kept), { recursive: true });
      await writeFileAtomic(kept, bytes);
    }
    if (uploadId) await this.o.uploads.remove(uploadId).catch(() => undefined);
    const info = await this.worker().describeModel({ kind: 'bundle', path: kept });
    const m = contents.manifest;
    return {
      ref: { kind: 'opened', id },
      fileName: basename(path),
      info,
      manifest: { name: m.name, createdAt: m.createdAt, app: m.app, labelColumn: m.labelColumn, metrics: m.metrics, decisionThreshold: m.decisionThreshold, language: m.language },
    };
  }

  /** Answers for texts or rows with any model of the project. */
  async predict(projectId: string, ref: ModelRef, input: { texts?: string[]; rows?: Row[] }): Promise<PredictResponse> {
    const source = await this.sourceOf(projectId, ref);
    const worker = this.worker();
    const rows = input.texts ? rowsFromTexts((await worker.describeModel(source)).input, input.texts) : input.rows!;
    return worker.predict({ source, rows });
  }

  /**
   * Scores a model on a labelled file. Rows without an answer are skipped (as in training); an
   * answer the model never learned counts as a miss. The file's upload is removed once scored.
   */
  async evaluateFile(
    projectId: string,
    ref: ModelRef,
    picked: PickedSource,
    label?: string,
  ): Promise<{ kind: 'report'; fileName: string; label: string; rows: number; skipped: number; report: EvaluationReport } | { kind: 'choose_label'; fileName: string; expected: string; columns: string[] }> {
    const source = await this.sourceOf(projectId, ref);
    const { path, uploadId } = await this.pickedPath(picked);
    const fileName = basename(path);
    const worker = this.worker();
    const info = await worker.describeModel(source);
    const table = await readInputTable(path);
    const column = label ?? info.labelColumn;
    if (!table.columns.includes(column)) {
      if (label) throw new CoreError('data_column_not_found', `${fileName} has no column "${label}"`, { column: label, file: fileName });
      return { kind: 'choose_label', fileName, expected: info.labelColumn, columns: table.columns };
    }
    const scored = await scoreLabelledRows({ rows: table.rows, label: column, model: info, file: fileName, chunkRows: FILE_CHUNK_ROWS, predict: (rows) => worker.predict({ source, rows }) });
    const report = buildReport(info.outputKind, info.labels, scored.actual, scored.predictions, info.decisionThreshold);
    if (uploadId) await this.o.uploads.remove(uploadId).catch(() => undefined);
    return { kind: 'report', fileName, label: column, rows: scored.rows, skipped: scored.skipped, report };
  }

  async serve(projectId: string, ref: ModelRef, port: number): Promise<ServingView> {
    const source = await this.sourceOf(projectId, ref);
    return startServingModel(this.worker(), { projectId, ref, source, port });
  }

  stopServing(): Promise<ServingView> {
    return stopServingModel();
  }

  servingStatus(): ServingView {
    return servingView();
  }

  /** Where a referenced model is: a run folder, an export in the project, an opened file. */
  private async sourceOf(projectId: string, ref: ModelRef): Promise<ModelSource> {
    const dir = this.o.projects.dirOf(projectId);
    if (ref.kind === 'run') {
      const runDir = join(dir, 'runs', ref.runId);
      await readRun(runDir); // not_found for a run of another project
      return { kind: 'run', runDir };
    }
    const path = ref.kind === 'export' ? exportPath(dir, ref.name) : openedModelPath(dir, ref.id);
    const info = await stat(path).catch(() => null);
    if (!info) throw new CoreError('not_found', `no model file ${basename(path)}`, { file: basename(path) });
    // A TF.js folder has no recipe checks of its own here: the app uses its .mpmodel twin.
    if (!info.isFile()) throw new CoreError('invalid_payload', `${basename(path)} is a TF.js folder; use the .mpmodel export`, { field: 'model.name' });
    return { kind: 'bundle', path };
  }

  /** A picked file on disk: the desktop app's path, or the browser's upload. */
  private async pickedPath(source: PickedSource): Promise<{ path: string; uploadId: string | null }> {
    if (source.kind === 'upload') return { path: await this.o.uploads.sourcePath(source.uploadId), uploadId: source.uploadId };
    if (!this.o.acceptsPaths) throw new CoreError('unsupported_in_host', 'a browser sends files as uploads, not paths', { channel: 'deployment' });
    if (!(await exists(source.path))) throw new CoreError('not_found', `no file at ${source.path}`, { file: basename(source.path), path: source.path });
    return { path: source.path, uploadId: null };
  }

  private entry(projectId: string, file: ExportFile): ExportEntry {
    const downloadUrl = this.o.acceptsPaths ? null : `/exports/${encodeURIComponent(projectId)}/${encodeURIComponent(file.name)}`;
    return { ...file, downloadUrl };
  }

  private async open(projectId: string): Promise<{ dir: string; project: ProjectFile }> {
    const dir = this.o.projects.dirOf(projectId);
    return { dir, project: await readProjectFile(dir) };
  }

  private worker(): ComputeWorker {
    return sharedComputeWorker(this.o.log);
  }
}
