/**
 * The browser host's half of `sourceFromFiles`: PUTs each picked file to the web host's upload
 * route (same origin, so the token cookie goes along), under one fresh upload id, and answers
 * `{ kind: 'upload', uploadId }` for data:import. XMLHttpRequest rather than fetch, because only
 * it reports upload progress.
 */
import type { PickedFile, UploadProgress } from '../../main/contract/api';
import type { ImportSource } from '../../main/contract/data-channels';
import type { ContractError, Result } from '../../main/contract/errors';
import { randomId } from './ids';

const failure = (code: ContractError['code'], message: string): { ok: false; error: ContractError } => ({ ok: false, error: { code, message, params: {} } });

export async function uploadFiles(
  location: Location,
  picked: readonly PickedFile[],
  onProgress?: (progress: UploadProgress) => boolean | void,
): Promise<Result<ImportSource>> {
  // Inside a folder an empty file is just skipped (the import ignores it too); alone it is refused by the host.
  const files = picked.length > 1 ? picked.filter((f) => f.file.size > 0) : [...picked];
  if (files.length === 0) return failure('data_no_text_files', 'the folder has no files with content');
  const uploadId = randomId();
  const token = new URLSearchParams(location.search).get('token');
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  const totalBytes = files.reduce((n, f) => n + f.file.size, 0);
  let sentBefore = 0;
  for (const { file, path } of files) {
    const url = `/upload/${uploadId}/${path.split('/').map(encodeURIComponent).join('/')}${query}`;
    const result = await put(url, file as unknown as Blob, (loaded) => onProgress?.({ sentBytes: sentBefore + loaded, totalBytes }));
    if (!result.ok) {
      void fetch(`/upload/${uploadId}${query}`, { method: 'DELETE' }).catch(() => undefined);
      return result;
    }
    sentBefore += file.size;
  }
  onProgress?.({ sentBytes: totalBytes, totalBytes });
  return { ok: true, value: { kind: 'upload', uploadId } };
}

function put(url: string, body: Blob, onProgress: (loaded: number) => boolean | void): Promise<Result<unknown>> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.upload.onprogress = (event) => {
      if (onProgress(event.loaded) === false) xhr.abort();
    };
    xhr.onload = () => {
      try {
        resolve(JSON.parse(xhr.responseText) as Result<unknown>);
      } catch {
        resolve(failure('io_error', `upload answered HTTP ${xhr.status}`));
      }
    };
    xhr.onerror = () => resolve(failure('io_error', 'the upload was interrupted'));
    xhr.onabort = () => resolve(failure('cancelled', 'upload cancelled'));
    xhr.send(body);
  });
}
