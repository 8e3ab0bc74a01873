import type { HandlerContext, HandlerTable } from '../handlers';
import type { ProjectStore } from '../core/projects/project-store';
import type { SettingsStore } from '../core/settings/settings-store';
import { NeedsService } from '../needs/needs-service';

export type NeedsChannel = 'needs:get' | 'needs:update' | 'advisor:rank' | 'planner:estimate' | 'samples:list' | 'projects:createFromSample';

/**
 * The Needs step's channels, the model advisor, the planner and the samples. Payloads arrive
 * validated by the dispatch. `data` holds the data:import and data:setRole handlers, so a sample
 * goes through the same data core (worker, caches, audit) as any file.
 */
export function createNeedsHandlers(
  ctx: HandlerContext,
  projects: ProjectStore,
  settings: SettingsStore,
  data: Pick<HandlerTable, 'data:import' | 'data:setRole'>,
): Pick<HandlerTable, NeedsChannel> {
  const service = new NeedsService({
    projects,
    settings,
    importData: (projectId, source) => data['data:import']({ projectId, jobId: `sample-${Date.now().toString(36)}`, source }),
    setLabel: (projectId, column) => data['data:setRole']({ projectId, column, role: 'label' }),
    log: ctx.log,
  });
  return {
    'needs:get': ({ projectId }) => service.get(projectId),
    'needs:update': ({ projectId, patch }) => service.update(projectId, patch),
    'advisor:rank': ({ projectId }) => service.advise(projectId),
    'planner:estimate': ({ projectId, assumptions }) => service.plan(projectId, assumptions),
    'samples:list': async () => service.samples(),
    'projects:createFromSample': async ({ sampleId, name }) => {
      const project = await service.createFromSample(sampleId, name);
      ctx.emit('projects:changed', { projects: await projects.list() });
      return project;
    },
  };
}
