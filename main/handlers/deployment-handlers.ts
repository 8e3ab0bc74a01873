import type { HandlerContext, HandlerTable } from '../handlers';
import type { ProjectStore } from '../core/projects/project-store';
import { UploadStore } from '../core/uploads/upload-store';
import { DeploymentService } from '../deployment/deployment-service';
import { onServingChange } from '../deployment/serving';
import type { EvaluationService } from '../evaluation/evaluation-service';

export type DeploymentChannel = Extract<keyof HandlerTable, `deployment:${string}`>;

/**
 * The deployment:* channels. Payloads arrive validated by the dispatch. The desktop app names
 * picked files by path and saves exports with its dialog; the web host takes uploads and serves
 * exports for download. Changes of the local API are pushed as `deployment:serving`.
 */
export function createDeploymentHandlers(ctx: HandlerContext, projects: ProjectStore, evaluation: EvaluationService): Pick<HandlerTable, DeploymentChannel> {
  const service = new DeploymentService({ projects, uploads: new UploadStore(ctx.home), evaluation, acceptsPaths: ctx.host !== 'web', log: ctx.log });
  onServingChange((view) => ctx.emit('deployment:serving', view));
  return {
    'deployment:get': ({ projectId }) => service.view(projectId),
    'deployment:export': ({ projectId, runId, format, language }) => service.export(projectId, runId, format, language),
    'deployment:saveAs': ({ projectId, name, path }) => service.saveAs(projectId, name, path),
    'deployment:openModel': ({ projectId, source }) => service.openModel(projectId, source),
    'deployment:predict': ({ projectId, model, texts, rows }) => service.predict(projectId, model, { texts, rows }),
    'deployment:evaluateFile': ({ projectId, model, source, label }) => service.evaluateFile(projectId, model, source, label),
    'deployment:serve': ({ projectId, model, port }) => service.serve(projectId, model, port),
    'deployment:stopServing': () => service.stopServing(),
    'deployment:servingStatus': async () => service.servingStatus(),
  };
}
