import type { HandlerContext, HandlerTable } from '../handlers';
import type { ProjectStore } from '../core/projects/project-store';
import { EvaluationService } from '../evaluation/evaluation-service';

export type EvaluationChannel = Extract<keyof HandlerTable, `evaluation:${string}`>;

/**
 * The evaluation:* channels. Payloads arrive validated by the dispatch; scoring a test split runs
 * in the process's compute worker and pushes `evaluation:progress` to every renderer of this host.
 * The service is handed back too: the Deployment step reuses its test rows and evaluations.
 */
export function createEvaluationHandlers(ctx: HandlerContext, projects: ProjectStore): { handlers: Pick<HandlerTable, EvaluationChannel>; service: EvaluationService } {
  const service = new EvaluationService({ projects, emit: (event) => ctx.emit('evaluation:progress', event), log: ctx.log });
  return {
    service,
    handlers: {
      'evaluation:get': ({ projectId, runId }) => service.view(projectId, runId),
      'evaluation:setThreshold': ({ projectId, runId, threshold }) => service.setThreshold(projectId, runId, threshold),
      'evaluation:examples': ({ projectId, runId, filter, threshold, limit }) => service.examples(projectId, runId, filter, limit, threshold),
      'evaluation:tryIt': ({ projectId, runId, text, row }) => service.tryIt(projectId, runId, { text, row }),
      'evaluation:compare': ({ projectId }) => service.compare(projectId),
      'evaluation:chooseRun': ({ projectId, runId }) => service.chooseRun(projectId, runId),
    },
  };
}
