import type { BackendReport } from '../contract/training';
import type { HandlerContext, HandlerTable } from '../handlers';
import type { ProjectStore } from '../core/projects/project-store';
import { readViewCache } from '../data/data-cache';
import { existingComputeWorker } from '../training/shared-worker';
import { TrainingService } from '../training/training-service';

export type TrainingChannel = Extract<keyof HandlerTable, `models:${string}` | `training:${string}`>;

/**
 * The models:* and training:* channels. Payloads arrive validated by the dispatch; the service
 * trains in the process's one compute worker and pushes `training:progress` to every renderer
 * of this host.
 */
export function createTrainingHandlers(ctx: HandlerContext, projects: ProjectStore): Pick<HandlerTable, TrainingChannel> {
  const service = new TrainingService({
    projects,
    emit: (event) => ctx.emit('training:progress', event),
    // The Data step's last analysis knows the exact training-split size.
    trainRowsOf: async (dir, project) => (project.data ? ((await readViewCache(dir, project.data))?.split.counts.train ?? null) : null),
    log: ctx.log,
  });
  return {
    'models:catalog': ({ projectId }) => service.catalog(projectId),
    'models:estimate': ({ projectId, modelIds }) => service.estimate(projectId, modelIds),
    'models:choose': ({ projectId, modelId, hyperparameters }) => service.choose(projectId, modelId, hyperparameters),
    'training:get': ({ projectId }) => service.view(projectId),
    'training:saveSettings': ({ projectId, settings }) => service.saveSettings(projectId, settings),
    'training:start': ({ projectId, settings }) => service.start(projectId, settings),
    'training:pause': ({ projectId, runId }) => service.control(projectId, runId, 'pause'),
    'training:resume': ({ projectId, runId }) => service.control(projectId, runId, 'resume'),
    'training:stop': ({ projectId, runId }) => service.control(projectId, runId, 'stop'),
    'training:cancel': ({ projectId, runId }) => service.control(projectId, runId, 'cancel'),
    'training:resumeInterrupted': ({ projectId, runId, epochs }) => service.resumeRun(projectId, runId, epochs),
    'training:runs': ({ projectId }) => service.runs(projectId),
    'training:metrics': ({ projectId, runId }) => service.metrics(projectId, runId),
  };
}

/** What app:info adds once the compute worker has run a job: the rung in use and why the others were skipped. */
export function computeInfo(): { computeBackend?: BackendReport; computeNativeLost?: boolean } {
  const worker = existingComputeWorker();
  if (!worker) return {};
  return { ...(worker.lastBackend ? { computeBackend: worker.lastBackend } : {}), computeNativeLost: worker.nativeUnavailableUntilRestart };
}
