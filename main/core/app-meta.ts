import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Our package.json, found by walking up from this file (works from source and from the build). */
export function readPackageMeta(): { name: string; productName: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; productName?: string; version?: string };
      if (pkg.name === 'modelpilot') return { name: pkg.name, productName: pkg.productName ?? 'ModelPilot', version: pkg.version ?? '0.0.0' };
    }
    dir = dirname(dir);
  }
  return { name: 'modelpilot', productName: 'ModelPilot', version: '0.0.0' };
}
