import type { PlannerAssumptions, PlannerView } from '../../main/contract/planner';
import { i18n } from '../i18n/i18n.svelte';
import { api } from './api';
import { notices } from './notices.svelte';

const RECOMPUTE_MS = 250;

/** The large-model planner: assumptions as edited, and the plan the Node side worked out for them. */
export class PlannerState {
  view = $state.raw<PlannerView | null>(null);
  assumptions = $state.raw<PlannerAssumptions | null>(null);
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(readonly projectId: string | undefined) {}

  /** Starts from defaults sized for the project's data. */
  async load(): Promise<void> {
    const result = await api.plannerEstimate(this.projectId ? { projectId: this.projectId } : {});
    if (!result.ok) return notices.fail(result.error);
    this.view = result.value;
    this.assumptions = result.value.assumptions;
  }

  edit(change: Partial<PlannerAssumptions>): void {
    if (!this.assumptions) return;
    this.assumptions = { ...this.assumptions, ...change };
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.recompute(), RECOMPUTE_MS);
  }

  private async recompute(): Promise<void> {
    this.timer = null;
    const assumptions = this.assumptions;
    if (!assumptions) return;
    const result = await api.plannerEstimate({ ...(this.projectId ? { projectId: this.projectId } : {}), assumptions });
    if (!result.ok) return notices.fail(result.error);
    if (this.assumptions === assumptions) this.view = result.value;
  }
}

/** 4.2e19 -> "4.2 × 10¹⁹" (plain below a million). */
export function formatScientific(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (Math.abs(value) < 1e6) return new Intl.NumberFormat(i18n.locale, { maximumSignificantDigits: 3 }).format(value);
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  const mantissa = value / 10 ** exponent;
  const superscript = String(exponent).replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]);
  return `${Number(mantissa.toPrecision(2))} × 10${superscript}`;
}

/** A figure to 3 significant digits, with the locale's grouping ("1,456", "0.0214"). */
export function formatFigure(value: number): string {
  return new Intl.NumberFormat(i18n.locale, { maximumSignificantDigits: 3 }).format(value);
}

/** Money with cents below 100, whole above ("0.47", "186.97", "1,234"). */
export function formatMoney(value: number): string {
  return new Intl.NumberFormat(i18n.locale, { maximumFractionDigits: value < 100 ? 2 : 0, minimumFractionDigits: value < 100 ? 2 : 0 }).format(value);
}
