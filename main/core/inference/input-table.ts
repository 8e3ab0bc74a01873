/**
 * A labelled or unlabelled table from the user's disk, for predictions and scoring outside
 * training: read with the Data step's own reader. No tfjs here, so the app's main process can use it.
 */
import type { Row } from '../../contract/data';
import { readRows } from '../data/dataset';
import { detectSource } from '../data/read-table';
import { CoreError } from '../errors';

/**
 * Reads a table to predict with the Data step's own reader (CSV/TSV in any encoding it detects,
 * Excel, JSON, JSON Lines). The first row is always the header: the model needs column names.
 */
export async function readInputTable(path: string): Promise<{ columns: string[]; rows: Row[] }> {
  const sniff = await detectSource(path, { hasHeader: true });
  if (sniff.isFolder) throw new CoreError('predict_input_invalid', `${path} is a folder; give a table file (CSV, Excel, JSON)`, { path, reason: 'folder' });
  const rows = await readRows(path, sniff.spec);
  const columns = sniff.spec.columns.length ? sniff.spec.columns : [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return { columns, rows };
}
