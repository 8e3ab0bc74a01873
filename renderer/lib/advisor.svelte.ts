import type { AdviceView } from '../../main/contract/needs-channels';
import { api } from './api';
import { notices } from './notices.svelte';

/** The model advisor of one project: the catalog ranked for its need and data (asked again after measuring or choosing). */
export class AdvisorState {
  view = $state.raw<AdviceView | null>(null);
  private asked = 0;

  constructor(readonly projectId: string) {}

  async load(): Promise<void> {
    const mine = ++this.asked;
    const result = await api.advisorRank({ projectId: this.projectId });
    if (mine !== this.asked) return; // a newer answer is on its way
    if (!result.ok) return notices.fail(result.error);
    this.view = result.value;
  }
}
