/**
 * `app://modelpilot/…`: the built renderer served from `out/renderer` with a strict CSP, instead of
 * file:// (which would give the page an opaque origin and every local file as its neighbour).
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_SCHEME } from './origin';
import { resolveRendererFile, responseHeaders } from './renderer-files';

/** Must run before the app's `ready` event (it is called at the top of index.ts). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // standard: real origin + relative URLs; secure: a secure context like https.
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
    },
  ]);
}

/** Serves files under `rendererRoot` only; anything else is 404, never a directory listing. */
export function handleAppProtocol(rendererRoot: string, log: (message: string) => void): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    const lookup = resolveRendererFile(rendererRoot, request.url);
    if (!lookup.ok) {
      log(`app protocol refused ${request.url} (${lookup.status})`);
      return new Response(null, { status: lookup.status });
    }
    try {
      const body = await readFile(lookup.file);
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: responseHeaders(lookup.file) });
    } catch {
      return new Response(null, { status: 404 });
    }
  });
}
