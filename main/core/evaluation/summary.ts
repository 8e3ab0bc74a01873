/**
 * A report's headline numbers under the names the rest of the app uses: the test metrics an
 * export writes into its manifest and model card, the "Compare runs" table, and what the Needs
 * step's targets are checked against.
 */
import type { EvaluationReport } from '../../contract/evaluation';
import type { TargetMetricsInput } from '../../contract/needs';

/** accuracy, macroF1, weightedF1 (and auc for two classes); or mae, rmse, r2. */
export function testMetricsOf(report: EvaluationReport): Record<string, number> {
  if (report.kind === 'regression') return { mae: report.mae, rmse: report.rmse, r2: report.r2 };
  const { scores } = report;
  const out: Record<string, number> = { accuracy: scores.accuracy, macroF1: scores.macro.f1, weightedF1: scores.weighted.f1 };
  const auc = report.outputKind === 'binary' ? report.curves[0]?.auc : null;
  if (typeof auc === 'number') out.auc = auc;
  return out;
}

/** What `checkTargets` (core/needs/targets.ts) reads: the headline numbers and every class's scores. */
export function targetInputOf(report: EvaluationReport): TargetMetricsInput {
  if (report.kind === 'regression') return { mae: report.mae, rmse: report.rmse, r2: report.r2 };
  return { accuracy: report.scores.accuracy, macroF1: report.scores.macro.f1, perClass: report.scores.perClass };
}
