import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { samplePath, samplesDir } from '../../../main/core/samples/samples';

const proc = process as { resourcesPath?: string };
afterEach(() => {
  delete proc.resourcesPath;
  delete process.env.MODELPILOT_SAMPLES;
});

describe('where the samples are', () => {
  it('from the sources: resources/samples beside them', () => {
    expect(samplesDir()).toBe(resolve('resources/samples'));
    expect(samplePath('churn')).toBe(resolve('resources/samples/churn.csv'));
  });

  it('packaged: process.resourcesPath/samples, where electron-builder puts them', () => {
    const fake = mkdtempSync(join(tmpdir(), 'modelpilot-resources-'));
    try {
      cpSync(resolve('resources/samples'), join(fake, 'samples'), { recursive: true });
      proc.resourcesPath = fake;
      expect(samplesDir()).toBe(join(fake, 'samples'));
      // …and electron-builder.yml ships them there.
      const builder = parse(readFileSync('electron-builder.yml', 'utf8')) as { extraResources: { from: string; to: string; filter: string[] }[] };
      expect(builder.extraResources).toContainEqual({ from: 'resources/samples', to: 'samples', filter: ['*.csv', 'README.md'] });
    } finally {
      rmSync(fake, { recursive: true, force: true });
    }
  });

  it('a folder named by MODELPILOT_SAMPLES comes first; a resources folder without samples is skipped', () => {
    proc.resourcesPath = tmpdir();
    expect(samplesDir()).toBe(resolve('resources/samples'));
    process.env.MODELPILOT_SAMPLES = resolve('resources/samples');
    expect(samplesDir()).toBe(resolve('resources/samples'));
  });
});
