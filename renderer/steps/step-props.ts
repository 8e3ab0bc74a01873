import type { Project } from '../../main/contract/schemas';

/** What every wizard step page receives from the wizard frame. */
export interface StepProps {
  project: Project;
  /** True while a wizard move is being saved. */
  saving: boolean;
  /** Marks this step done and moves on to the next one. */
  onmarkdone: () => void;
}
