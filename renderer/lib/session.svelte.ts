import type { Project, StepId } from '../../main/contract/schemas';
import { api } from './api';
import { notices } from './notices.svelte';
import { projects } from './projects.svelte';
import { nextStep } from './steps';

/**
 * The open project, if any, and the wizard moves on it. Moves show at once and are then saved
 * with `projects:update`; if saving fails the project goes back to what the server has.
 */
class Session {
  project = $state.raw<Project | null>(null);
  saving = $state(false);
  /** Only the newest save may settle the state: older replies would undo newer moves. */
  private latest = 0;

  async open(id: string): Promise<void> {
    notices.clear();
    const result = await api.projectsOpen({ id });
    if (result.ok) this.project = result.value;
    else {
      notices.fail(result.error);
      void projects.load(); // it may have been damaged or removed since the list was drawn
    }
  }

  close(): void {
    this.latest++;
    this.project = null;
    this.saving = false;
    notices.clear();
    void projects.load(); // opening changed the "last opened" order
  }

  goTo(step: StepId): Promise<void> {
    return this.save({ currentStep: step });
  }

  /** Marks `step` done and moves to the next step (the last step stays where it is). */
  markDone(step: StepId): Promise<void> {
    const current = this.project;
    if (!current) return Promise.resolve();
    const completedSteps = current.completedSteps.includes(step) ? current.completedSteps : [...current.completedSteps, step];
    return this.save({ completedSteps, currentStep: nextStep(step) ?? step });
  }

  private async save(patch: { currentStep?: StepId; completedSteps?: StepId[] }): Promise<void> {
    const before = this.project;
    if (!before) return;
    notices.clear();
    const mine = ++this.latest;
    this.project = { ...before, ...patch };
    this.saving = true;
    const result = await api.projectsUpdate({ id: before.id, patch });
    if (mine !== this.latest || this.project?.id !== before.id) return; // superseded, or the user left
    this.saving = false;
    if (result.ok) this.project = result.value;
    else {
      this.project = before;
      notices.fail(result.error);
    }
  }
}

export const session = new Session();
