import { existsSync } from 'node:fs';

/**
 * Debian's Chromium: Playwright's own browser download does not work on our build machines.
 * The unwrapped binary avoids the wrapper script's warning; CHROMIUM_PATH overrides both.
 */
export function chromiumExecutable(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'];
  return candidates.find((path): path is string => !!path && existsSync(path)) ?? '/usr/bin/chromium';
}

/** Without these, Chromium keeps dialing Google's hosts, which a closed network refuses. */
export const chromiumArgs = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
