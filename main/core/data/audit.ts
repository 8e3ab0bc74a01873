import type { AuditResult, Cell, ColumnRoles, TableProfile, TableSpec } from '../../contract/data';
import { cellText, isMissing } from './cells';
import { ProgressReporter, type JobControl } from './byte-source';
import { TableProfiler } from './column-profile';
import { hash64, KEY_SEPARATOR } from './hash64';
import { HashTable64 } from './hash-table64';
import { buildAudit } from './audit-warnings';
import { scanTable } from './read-table';
import type { RowSink } from './row-sink';

/** Distinct label values counted exactly; more than this is a regression target, not classes. */
const MAX_CLASSES = 10_000;
const MAX_EXAMPLES = 5;

/** Roles that never feed the model: they stay out of duplicate and conflict keys. */
export function isUnused(role: string | undefined): boolean {
  return role === 'id' || role === 'ignore';
}

/**
 * Collects in one pass what the audit needs besides the column profiles: exact duplicates,
 * conflicting labels and rows per class. Duplicate and conflict detection hash each row's key to
 * 64 bits and keep only the hashes (HashTable64: 11-23 bytes per distinct row for duplicates,
 * 23-46 for inputs with their label's hash), never the rows themselves.
 */
export class AuditSink implements RowSink {
  readonly profiler = new TableProfiler();
  duplicates = 0;
  conflictGroups = 0;
  conflictRows = 0;
  readonly conflictExamples: { input: string; labels: string[] }[] = [];
  readonly labelCounts = new Map<string, number>();
  labelOverflow = false;
  private names: string[] = [];
  private usedIdx: number[] = [];
  private inputIdx: number[] = [];
  private labelIdx = -1;
  private readonly seenRows = new HashTable64(false);
  private readonly seenInputs = new HashTable64(true);
  private readonly labelByHash = new Map<number, string>();

  constructor(private readonly roles: ColumnRoles) {}

  onColumns(names: readonly string[]): void {
    this.profiler.onColumns(names);
    this.names = [...names];
    this.usedIdx = [];
    this.inputIdx = [];
    this.labelIdx = -1;
    this.names.forEach((name, i) => {
      const role = this.roles[name];
      if (isUnused(role)) return;
      this.usedIdx.push(i);
      if (role === 'label') this.labelIdx = i;
      else this.inputIdx.push(i);
    });
  }

  onRow(cells: Cell[]): void {
    this.profiler.onRow(cells);
    if (this.usedIdx.length > 0) {
      const [lo, hi] = hash64(keyOf(cells, this.usedIdx), 1);
      if (!this.seenRows.add(lo, hi)) this.duplicates++;
    }
    if (this.labelIdx < 0) return;
    const label = cells[this.labelIdx];
    if (isMissing(label)) return;
    const labelText = cellText(label).trim();
    this.countLabel(labelText);
    if (this.inputIdx.length === 0) return;
    const input = keyOf(cells, this.inputIdx);
    const [lo, hi] = hash64(input, 2);
    const labelHash = hash64(labelText, 3)[0] | 0;
    if (this.labelByHash.size < MAX_CLASSES && !this.labelByHash.has(labelHash)) this.labelByHash.set(labelHash, labelText);
    // Value lanes: A = the first label's hash; B = rows with this input, negated once conflicting.
    const slot = this.seenInputs.upsert(lo, hi);
    if (slot < 0) {
      this.seenInputs.setA(-slot - 1, labelHash);
      this.seenInputs.setB(-slot - 1, 1);
      return;
    }
    const rows = this.seenInputs.getB(slot);
    if (rows < 0) {
      this.seenInputs.setB(slot, rows - 1);
      this.conflictRows++;
    } else if (this.seenInputs.getA(slot) !== labelHash) {
      this.conflictGroups++;
      this.conflictRows += rows + 1;
      this.seenInputs.setB(slot, -(rows + 1));
      if (this.conflictExamples.length < MAX_EXAMPLES) {
        const first = this.labelByHash.get(this.seenInputs.getA(slot)) ?? '?';
        this.conflictExamples.push({ input: readable(cells, this.inputIdx), labels: [first, labelText] });
      }
    } else {
      this.seenInputs.setB(slot, rows + 1);
    }
  }

  private countLabel(label: string): void {
    const n = this.labelCounts.get(label);
    if (n !== undefined) this.labelCounts.set(label, n + 1);
    else if (this.labelCounts.size < MAX_CLASSES) this.labelCounts.set(label, 1);
    else this.labelOverflow = true;
  }
}

function keyOf(cells: Cell[], idx: number[]): string {
  let key = cellText(cells[idx[0]]);
  for (let i = 1; i < idx.length; i++) key += KEY_SEPARATOR + cellText(cells[idx[i]]);
  return key;
}

function readable(cells: Cell[], idx: number[]): string {
  const text = idx.map((i) => cellText(cells[i])).join(' | ');
  return text.length > 200 ? text.slice(0, 197) + '...' : text;
}

/**
 * Audits a table in one streaming pass with the given roles (see inferRoles): row count,
 * missing values, duplicates, conflicting labels, class balance, constant and id-like columns,
 * text lengths, numeric distributions and outliers, each problem as a warning with a stable
 * code and, where one exists, the recipe step that fixes it. Returns the fresh profile too.
 */
export async function auditTable(
  path: string,
  spec: TableSpec,
  roles: ColumnRoles,
  control: JobControl = {},
  totalBytes = 0,
): Promise<{ audit: AuditResult; profile: TableProfile }> {
  const sink = new AuditSink(roles);
  const progress = new ProgressReporter('audit', totalBytes, control.onProgress);
  const summary = await scanTable(path, spec, sink, { signal: control.signal, progress });
  const profile = sink.profiler.finish(summary.replacementChars);
  return { audit: buildAudit(profile, roles, sink), profile };
}
