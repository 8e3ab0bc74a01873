import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_FORMAT_VERSION, projectFileSchema, type ProjectFile } from '../../contract/schemas';
import { CoreError } from '../errors';
import { writeJsonAtomic } from '../fs/atomic-write';

export const PROJECT_FILE = 'project.json';

/**
 * Reads and validates a project's `project.json`. A damaged file or one written by a newer
 * ModelPilot is reported as such; callers must never write over it.
 */
export async function readProjectFile(dir: string): Promise<ProjectFile> {
  const path = join(dir, PROJECT_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CoreError('not_found', `no ${PROJECT_FILE} in ${dir}`, { path });
    }
    throw new CoreError('io_error', `cannot read ${path}: ${(error as Error).message}`, { path });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CoreError('project_corrupt', `${path} is not valid JSON: ${(error as Error).message}`, { path });
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > PROJECT_FORMAT_VERSION) {
    throw new CoreError('project_too_new', `${path} has format ${version}; this app reads up to ${PROJECT_FORMAT_VERSION}`, {
      path,
      version,
      supported: PROJECT_FORMAT_VERSION,
    });
  }
  const parsed = projectFileSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new CoreError('project_corrupt', `${path} does not match the project format: ${first?.path.join('.')} ${first?.message}`, {
      path,
    });
  }
  return parsed.data;
}

export function writeProjectFile(dir: string, file: ProjectFile): Promise<void> {
  return writeJsonAtomic(join(dir, PROJECT_FILE), file);
}
