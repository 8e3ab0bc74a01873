import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { settingsSchema, type Settings } from '../../contract/schemas';
import { writeJsonAtomic } from '../fs/atomic-write';

/** App-wide preferences (the UI language), kept in the home folder so every host shares them. */
export class SettingsStore {
  private readonly path: string;

  constructor(home: string) {
    this.path = join(home, '.modelpilot', 'settings.json');
  }

  async get(): Promise<Settings> {
    try {
      const parsed = settingsSchema.safeParse(JSON.parse(await readFile(this.path, 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // missing or damaged: fall through to defaults, which the next update rewrites
    }
    return settingsSchema.parse({});
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = settingsSchema.parse({ ...(await this.get()), ...patch });
    await mkdir(join(this.path, '..'), { recursive: true });
    await writeJsonAtomic(this.path, next);
    return next;
  }
}
