import type { Project, ProjectSummary } from '../../main/contract/schemas';
import { api } from './api';
import { notices } from './notices.svelte';

/**
 * The project home's list, in the order the server sends it (most recent first). Kept live by
 * the `projects:changed` event, which every host pushes after a create, update or delete.
 */
class ProjectsState {
  items = $state.raw<ProjectSummary[]>([]);
  loaded = $state(false);
  creating = $state(false);

  async load(): Promise<void> {
    const result = await api.projectsList();
    if (result.ok) this.replace(result.value);
    else notices.fail(result.error);
  }

  /** Subscribes to pushed list changes; returns the unsubscribe function. */
  listen(): () => void {
    return api.on('projects:changed', ({ projects }) => this.replace(projects));
  }

  /** Creates a project; the server validates the name and description. */
  async create(name: string, description: string): Promise<Project | null> {
    notices.clear();
    this.creating = true;
    try {
      const result = await api.projectsCreate(description.trim() ? { name, description } : { name });
      if (!result.ok) {
        notices.fail(result.error);
        return null;
      }
      notices.say('create.created', { name: result.value.name });
      await this.load();
      return result.value;
    } finally {
      this.creating = false;
    }
  }

  async remove(project: ProjectSummary): Promise<boolean> {
    notices.clear();
    const result = await api.projectsDelete({ id: project.id });
    if (!result.ok) {
      notices.fail(result.error);
      return false;
    }
    this.items = this.items.filter((p) => p.id !== project.id);
    notices.say('list.deleted', { name: project.name });
    return true;
  }

  private replace(projects: ProjectSummary[]): void {
    this.items = projects;
    this.loaded = true;
  }
}

export const projects = new ProjectsState();
