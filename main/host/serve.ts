/**
 * `npm run serve`: the studio for a browser. Prints the URL (with its token) and keeps serving
 * until interrupted. Options: --port N (default 5179, 0 picks a free one), --host ADDR
 * (default 127.0.0.1), --json (print {"url":…} as one line, for scripts and tests).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readPackageMeta } from '../core/app-meta';
import { resolveHome } from '../core/home';
import { startWebHost } from './web-host';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '..', '..', 'out', 'renderer');

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

let values: { port?: string; host?: string; json?: boolean };
try {
  ({ values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' }, json: { type: 'boolean' } } }));
} catch (error) {
  fail((error as Error).message.split('\n')[0]);
}
const port = Number(values.port ?? process.env.MODELPILOT_PORT ?? 5179);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a number from 0 to 65535, not "${values.port}"`);
if (!existsSync(join(rendererDir, 'index.html'))) fail('the renderer is not built; run "npm run build:renderer" first (npm run serve does it)');

const home = resolveHome();
const host = await startWebHost({
  rendererDir,
  home,
  version: readPackageMeta().version,
  host: values.host ?? '127.0.0.1',
  port,
  log: (message) => process.stderr.write(message + '\n'),
}).catch((error: NodeJS.ErrnoException) => {
  fail(error.code === 'EADDRINUSE' ? `port ${port} is in use; choose another with --port` : error.message);
});

if (values.json) process.stdout.write(JSON.stringify({ url: host.url, port: host.port, home }) + '\n');
else process.stdout.write(`ModelPilot is running. Open this address in your browser:\n\n  ${host.url}\n\nProjects folder: ${home}\nPress Ctrl+C to stop.\n`);

const stop = () => void host.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
