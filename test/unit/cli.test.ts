import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempHome } from './helpers/temp-home';

let home: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ home, cleanup } = await makeTempHome()));
afterEach(() => cleanup());

/** Runs the real bin in a child process, as `npx modelpilot` would. */
function modelpilot(...args: string[]) {
  const run = spawnSync(process.execPath, ['bin/modelpilot.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, MODELPILOT_HOME: home, MODELPILOT_DEBUG: '' },
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('modelpilot CLI', () => {
  it('prints help listing its commands', () => {
    const { code, out } = modelpilot('--help');
    expect(code).toBe(0);
    expect(out).toContain('usage: modelpilot <command>');
    expect(out).toMatch(/info\s+show the version/);
  });

  it('creates and lists projects in MODELPILOT_HOME', () => {
    expect(modelpilot('projects', 'create', 'Churn', 'model').code).toBe(0);
    const { code, out } = modelpilot('projects', 'list', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject([{ name: 'Churn model', status: 'ok' }]);
  });

  it('reports the backend ladder as JSON', () => {
    const { code, out } = modelpilot('info', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ home, backends: expect.any(Array) });
  });

  it.each([
    [['frobnicate'], 'unknown command'],
    [['projects', '--bogus'], "Unknown option '--bogus'"],
    [['projects', 'create'], 'a project needs a name'],
  ])('answers the user mistake %j with one error line and exit code 2', (args, text) => {
    const { code, err } = modelpilot(...args);
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/^error: /);
    expect(err).toContain(text);
  });
});
