/**
 * The one-page requirement sheet: the Needs step's answers as Markdown in the user's language,
 * saved as `requirements.md` in the project folder (atomically) so it can be shared or put under
 * git beside project.json.
 */
import { join } from 'node:path';
import type { ProjectNeeds } from '../../contract/needs';
import type { Locale } from '../../contract/schemas';
import { writeFileAtomic } from '../fs/atomic-write';
import { NEEDS_WORDS, describeTarget } from './needs-words';
import { needsLargeModel } from './scenarios';

export const REQUIREMENTS_FILE = 'requirements.md';

/** A line of user text as a Markdown paragraph: blank lines kept, nothing interpreted as a heading. */
function paragraph(text: string, fallback: string): string {
  const trimmed = text.trim();
  if (!trimmed) return `_${fallback}_`;
  return trimmed
    .split(/\r?\n/)
    .map((line) => line.replace(/^(\s*)([#>*+-]|\d+\.)(\s)/, '$1\\$2$3'))
    .join('  \n');
}

/** The sheet as Markdown. `updatedAt` is an ISO time (the date is shown). */
export function renderRequirements(projectName: string, needs: ProjectNeeds, lang: Locale, updatedAt: string): string {
  const w = NEEDS_WORDS[lang];
  const lines: string[] = [`# ${w.title}${w.colon}${projectName}`, ''];
  const section = (title: string, body: string[]) => lines.push(`## ${title}`, '', ...body, '');
  section(w.goal, [paragraph(needs.goal, w.notAnswered)]);
  section(w.use, [paragraph(needs.predictionUse, w.notAnswered)]);
  const task = needs.scenario ? `${w.scenario[needs.scenario]}${needs.task ? ` — ${w.taskName[needs.task]}` : ''}` : w.notAnswered;
  section(w.task, [task]);
  if (needs.task !== 'tabular-regression') {
    const focus = needs.focusLabel.trim();
    section(w.mistakes, [
      ...(focus ? [`- ${w.focus}: “${focus}”`] : []),
      `- ${w.fp}: ${w.cost[needs.costs.falsePositive]}${needs.costs.falsePositiveNote.trim() ? ` — ${needs.costs.falsePositiveNote.trim()}` : ''}`,
      `- ${w.fn}: ${w.cost[needs.costs.falseNegative]}${needs.costs.falseNegativeNote.trim() ? ` — ${needs.costs.falseNegativeNote.trim()}` : ''}`,
    ]);
  }
  section(w.targets, needs.targets.length ? needs.targets.map((t) => `- ${describeTarget(t, lang)}`) : [`_${w.none}_`]);
  const limits = [
    ...(needs.maxLatencyMs !== undefined ? [`- ${w.latency(needs.maxLatencyMs)}`] : []),
    ...(needs.maxModelSizeMB !== undefined ? [`- ${w.size(needs.maxModelSizeMB)}`] : []),
  ];
  section(w.limits, limits.length ? limits : [w.noLimits]);
  section(w.privacy, [w.privacyText]);
  if (needsLargeModel(needs)) lines.push(`> ${w.large}`, '');
  lines.push(`_${w.updated(updatedAt.slice(0, 10))}_`, '');
  return lines.join('\n');
}

/** Writes requirements.md into the project folder, replacing it atomically. */
export function writeRequirements(projectDir: string, markdown: string): Promise<void> {
  return writeFileAtomic(join(projectDir, REQUIREMENTS_FILE), markdown);
}
