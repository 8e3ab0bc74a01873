import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { fixture } from './helpers';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err };
}

describe('modelpilot audit', () => {
  it('prints the audit as JSON with rows, columns, duplicates, labels and coded warnings', async () => {
    const { code, out } = await cli('audit', fixture('messy.csv'), '--label', 'label', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.rows).toBe(40);
    expect(report.columns[1]).toMatchObject({ name: 'review', role: 'text', missing: 1 });
    expect(report.duplicates).toBe(2);
    expect(report.labels).toEqual({ positive: 29, negative: 9, neutral: 2 });
    expect(report.warnings.map((w: { code: string }) => w.code)).toContain('conflicting_labels');
    for (const w of report.warnings) expect(typeof w.message).toBe('string');
    expect(report.source).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',' });
  });

  it('uses subfolder names as labels for a text folder', async () => {
    const { code, out } = await cli('audit', fixture('text-folder'), '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out).labels).toEqual({ negative: 4, positive: 4 });
  });

  it('prints a readable report without --json', async () => {
    const { code, out } = await cli('audit', fixture('messy-gbk.csv'), '--label', 'label');
    expect(code).toBe(0);
    expect(out).toContain('gb18030');
    expect(out).toMatch(/rows: 40/);
    expect(out).toMatch(/\[warning\] duplicates:/);
  });

  it('takes encoding and delimiter overrides', async () => {
    const { code, out } = await cli('audit', fixture('messy.tsv'), '--delimiter', 'tab', '--encoding', 'UTF-8', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out).rows).toBe(40);
    expect((await cli('audit', fixture('messy.csv'), '--encoding', 'ebcdic')).code).toBe(2);
  });

  it('fails with one error line and exit code 2 on bad input', async () => {
    for (const name of ['empty.csv', 'binary.csv', 'ragged.csv', 'no-columns.csv', 'no-text-folder', 'missing.csv']) {
      const { code, err, out } = await cli('audit', fixture(name), '--json');
      expect(code, name).toBe(2);
      expect(err, name).toHaveLength(1);
      expect(err[0], name).toMatch(/^error: /);
      expect(out).toBe('');
    }
    const oneClass = await cli('audit', fixture('one-class.csv'), '--label', 'label');
    expect(oneClass.err[0]).toMatch(/only one class/);
    expect((await cli('audit')).code).toBe(2);
  });
});
