import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The folder that holds every project. `MODELPILOT_HOME` wins (tests use a temp dir);
 * otherwise the desktop host passes the OS documents folder, and we fall back to ~/Documents.
 */
export function resolveHome(documentsDir?: string): string {
  const fromEnv = process.env.MODELPILOT_HOME;
  if (fromEnv && fromEnv.trim()) return fromEnv;
  return join(documentsDir ?? join(homedir(), 'Documents'), 'ModelPilot');
}
