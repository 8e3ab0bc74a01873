import type { IncomingMessage, ServerResponse } from 'node:http';
import { readExportForDownload } from '../core/export/exports-folder';
import { isCoreError } from '../core/errors';
import type { ProjectStore } from '../core/projects/project-store';
import { sendText } from './static-files';

/**
 * `GET /exports/<projectId>/<name>` downloads one of a project's exports: a `.mpmodel` as is, a
 * TF.js folder zipped. The caller has checked the token. Names are checked by the project store
 * and the exports folder (nothing outside a project's exports/ is reachable).
 */
export async function handleExportDownload(req: IncomingMessage, res: ServerResponse, url: URL, projects: ProjectStore): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed');
  const parts = url.pathname.split('/').slice(2);
  let projectId: string;
  let name: string;
  try {
    [projectId, name] = parts.map(decodeURIComponent);
  } catch {
    return sendText(res, 400, 'bad export address');
  }
  if (parts.length !== 2 || !projectId || !name) return sendText(res, 404, 'no such export');
  try {
    const { fileName, bytes } = await readExportForDownload(projects.dirOf(projectId), name);
    const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
    res.writeHead(200, {
      'Content-Type': fileName.endsWith('.zip') ? 'application/zip' : 'application/octet-stream',
      'Content-Length': bytes.byteLength,
      // RFC 6266: an ASCII fallback, and the real (possibly Chinese) name encoded.
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  } catch (error) {
    if (isCoreError(error) && error.code === 'not_found') return sendText(res, 404, 'no such export');
    return sendText(res, 500, 'the export could not be read');
  }
}
