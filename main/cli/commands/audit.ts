import { basename } from 'node:path';
import { delimiterSchema, textEncodingSchema, type AuditResult } from '../../contract/data';
import { auditFile, type FileAudit } from '../../core/data/dataset';
import { UsageError } from '../cli-error';
import type { CliIo, Command } from '../command';

export const auditCommand: Command = {
  name: 'audit',
  summary: 'check a data file or text folder: rows, columns, missing values, duplicates, labels, warnings',
  usage: 'modelpilot audit <file|folder> [--label COL] [--encoding ENC] [--delimiter D] [--no-header] [--sheet NAME] [--json]',
  options: {
    label: { type: 'string' },
    encoding: { type: 'string' },
    delimiter: { type: 'string' },
    'no-header': { type: 'boolean' },
    sheet: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError(`give one file or folder to audit (usage: ${auditCommand.usage})`);
    const encoding = values.encoding === undefined ? undefined : textEncodingSchema.safeParse(String(values.encoding).toLowerCase());
    if (encoding && !encoding.success) throw new UsageError(`unknown encoding "${values.encoding}"; use one of ${textEncodingSchema.options.join(', ')}`);
    const rawDelimiter = values.delimiter === 'tab' || values.delimiter === '\\t' ? '\t' : values.delimiter;
    const delimiter = rawDelimiter === undefined ? undefined : delimiterSchema.safeParse(rawDelimiter);
    if (delimiter && !delimiter.success) throw new UsageError(`unsupported delimiter "${values.delimiter}"; use , ; | or tab`);

    const result = await auditFile(positionals[0], {
      label: (values.label as string | undefined) ?? null,
      import: {
        ...(encoding ? { encoding: encoding.data } : {}),
        ...(delimiter ? { delimiter: delimiter.data } : {}),
        ...(values['no-header'] ? { hasHeader: false } : {}),
        ...(values.sheet ? { sheet: String(values.sheet) } : {}),
      },
    });
    if (values.json) io.out(JSON.stringify(jsonReport(positionals[0], result)));
    else printReport(positionals[0], result, io);
    return 0;
  },
};

/** The --json shape: the audit (rows, columns, duplicates, labels, warnings …) plus how the file was read. */
function jsonReport(path: string, { detection, audit }: FileAudit): AuditResult & { file: string; source: Record<string, unknown> } {
  return {
    file: basename(path),
    source: {
      format: detection.format,
      encoding: detection.encoding,
      encodingConfidence: detection.encodingConfidence,
      delimiter: detection.delimiter,
      hasHeader: detection.hasHeader,
      sheet: detection.sheet,
    },
    ...audit,
  };
}

function printReport(path: string, { detection, audit }: FileAudit, io: CliIo): void {
  const how = [detection.format, detection.encoding, detection.delimiter ? `delimiter ${JSON.stringify(detection.delimiter)}` : null, detection.hasHeader ? 'header' : 'no header']
    .filter(Boolean)
    .join(', ');
  io.out(`${basename(path)} (${how})`);
  io.out(`rows: ${audit.rows}   columns: ${audit.columns.length}   duplicates: ${audit.duplicates}${audit.taskType ? `   task: ${audit.taskType}` : ''}`);
  io.out('');
  const width = Math.max(6, ...audit.columns.map((c) => c.name.length));
  io.out(`  ${'column'.padEnd(width)}  ${'role'.padEnd(11)}  missing  distinct`);
  for (const c of audit.columns) {
    io.out(`  ${c.name.padEnd(width)}  ${c.role.padEnd(11)}  ${String(c.missing).padStart(7)}  ${String(c.distinct).padStart(8)}`);
  }
  if (audit.classes) {
    io.out('');
    io.out(`labels (${audit.labelColumn}):`);
    const labelWidth = Math.max(...audit.classes.map((c) => c.label.length));
    for (const c of audit.classes) io.out(`  ${c.label.padEnd(labelWidth)}  ${String(c.count).padStart(7)}  ${'#'.repeat(Math.max(1, Math.round((c.count / audit.rows) * 40)))}`);
  }
  io.out('');
  if (audit.warnings.length === 0) io.out('no warnings');
  else {
    io.out('warnings:');
    for (const w of audit.warnings) io.out(`  [${w.severity}] ${w.code}: ${w.message}`);
  }
}
