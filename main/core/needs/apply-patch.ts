/** A Needs step edit applied to the sheet: pure, so the service and the tests agree. */
import { projectNeedsSchema, type ProjectNeeds } from '../../contract/needs';
import type { NeedsPatch } from '../../contract/needs-channels';
import { scenarioOf } from './scenarios';

/** The sheet with the patch applied: a scenario sets its task; null clears a limit. */
export function applyPatch(current: ProjectNeeds, patch: NeedsPatch): ProjectNeeds {
  const { costs, maxLatencyMs, maxModelSizeMB, ...rest } = patch;
  const next: ProjectNeeds = { ...current, ...definedOnly(rest), costs: { ...current.costs, ...definedOnly(costs ?? {}) } };
  if (patch.scenario !== undefined) next.task = patch.scenario ? scenarioOf(patch.scenario).task : null;
  if (maxLatencyMs === null) delete next.maxLatencyMs;
  else if (maxLatencyMs !== undefined) next.maxLatencyMs = maxLatencyMs;
  if (maxModelSizeMB === null) delete next.maxModelSizeMB;
  else if (maxModelSizeMB !== undefined) next.maxModelSizeMB = maxModelSizeMB;
  return projectNeedsSchema.parse(next);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
