/**
 * The situations the Needs step offers and what each means for the app: the task it maps to
 * (null when not supported yet), whether it is shown as "coming", and whether a small local model
 * is unlikely to do (then the Needs step points to the large-model planner).
 */
import type { ProjectNeeds, ScenarioId } from '../../contract/needs';
import type { NeedsGap, ScenarioInfo } from '../../contract/needs-channels';
import type { TaskId } from '../../contract/training';

/** `coming`: shown, but not a task yet. `large`: knowledge beyond the data or writing text, so the planner. */
export type Scenario = ScenarioInfo & { task: TaskId | null };

export const SCENARIOS: readonly Scenario[] = [
  { id: 'spam', task: 'text-classification', coming: false, large: false },
  { id: 'ticket_routing', task: 'text-classification', coming: false, large: false },
  { id: 'sentiment', task: 'text-classification', coming: false, large: false },
  { id: 'other_text', task: 'text-classification', coming: false, large: false },
  { id: 'churn', task: 'tabular-classification', coming: false, large: false },
  { id: 'other_table_class', task: 'tabular-classification', coming: false, large: false },
  { id: 'price', task: 'tabular-regression', coming: false, large: false },
  { id: 'other_table_number', task: 'tabular-regression', coming: false, large: false },
  { id: 'image', task: null, coming: true, large: false },
  { id: 'recommendation', task: null, coming: true, large: false },
  { id: 'generation', task: null, coming: true, large: true },
];

export function scenarioOf(id: ScenarioId): Scenario {
  return SCENARIOS.find((s) => s.id === id)!;
}

/** What is still missing before the Needs step can be marked done: a goal, a supported task, a target. */
export function needsGaps(needs: ProjectNeeds): NeedsGap[] {
  const gaps: NeedsGap[] = [];
  if (!needs.goal.trim()) gaps.push('goal');
  if (!needs.task) gaps.push('task');
  if (needs.targets.length === 0) gaps.push('target');
  return gaps;
}

/** True when the need calls for the large-model planner (its scenario, or the user said so). */
export function needsLargeModel(needs: ProjectNeeds): boolean {
  return needs.needsWorldKnowledge || (needs.scenario !== null && scenarioOf(needs.scenario).large);
}
