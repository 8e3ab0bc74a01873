import { ProjectStore } from '../../core/projects/project-store';
import { resolveHome } from '../../core/home';
import { UsageError } from '../cli-error';
import type { Command } from '../command';

export const projectsCommand: Command = {
  name: 'projects',
  summary: 'list or create projects in the projects folder',
  usage: 'modelpilot projects (list | create <name>) [--json]',
  options: { json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    const store = new ProjectStore(resolveHome());
    const [verb, ...rest] = positionals;
    if (verb === 'list' || verb === undefined) {
      const projects = await store.list();
      if (values.json) io.out(JSON.stringify(projects));
      else if (projects.length === 0) io.out(`no projects in ${store.home}`);
      else for (const p of projects) io.out(`${p.id}\t${p.status}\t${p.name}`);
      return 0;
    }
    if (verb === 'create') {
      const name = rest.join(' ').trim();
      if (!name) throw new UsageError('a project needs a name (usage: modelpilot projects create <name>)');
      const project = await store.create(name);
      io.out(values.json ? JSON.stringify(project) : project.dir);
      return 0;
    }
    throw new UsageError(`unknown projects command "${verb}" (usage: ${projectsCommand.usage})`);
  },
};
