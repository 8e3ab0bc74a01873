import type { HandlerContext, HandlerTable } from '../handlers';
import type { ProjectStore } from '../core/projects/project-store';
import { UploadStore } from '../core/uploads/upload-store';
import { DataService } from '../data/data-service';
import { DataWorker } from '../data/data-worker';

export type DataChannel = Extract<keyof HandlerTable, `data:${string}`>;

/**
 * The data:* channels. Payloads arrive validated by the dispatch; the service does the work in
 * the data worker and pushes `data:progress` to every renderer of this host.
 */
export function createDataHandlers(ctx: HandlerContext, projects: ProjectStore): Pick<HandlerTable, DataChannel> {
  const service = new DataService({
    projects,
    uploads: new UploadStore(ctx.home),
    worker: new DataWorker({ log: ctx.log }),
    acceptsPaths: ctx.host !== 'web',
    progress: (event) => ctx.emit('data:progress', event),
    log: ctx.log,
  });
  return {
    'data:import': ({ projectId, jobId, source, options }) => service.import(projectId, jobId, source, options),
    'data:cancel': async ({ jobId }) => service.cancel(jobId),
    'data:get': ({ projectId, jobId }) => service.get(projectId, jobId),
    'data:setRole': ({ projectId, jobId, column, role }) => service.setRole(projectId, column, role, jobId),
    'data:applyFix': ({ projectId, jobId, step }) => service.applyFix(projectId, step, jobId),
    'data:undoFix': ({ projectId, jobId, stepId }) => service.undoFix(projectId, stepId, jobId),
    'data:setSplit': ({ projectId, jobId, split }) => service.setSplit(projectId, split, jobId),
  };
}
