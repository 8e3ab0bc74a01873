/**
 * The desktop packaging and the Electron shell's hardening, checked without an Electron binary:
 * electron-builder.yml's shape, the CommonJS preload build, the window's webPreferences, and the
 * app:// file mapping (path traversal) and origin rules.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import viteConfig, { dedupeRequireShim, preloadOutput } from '../../electron.vite.config';
import { channelNames, methodName, type ModelPilotApi } from '../../main/contract/api';
import { channels } from '../../main/contract/channels';
import { registerIpc } from '../../main/app/ipc';
import { isTrustedSender } from '../../main/app/window';
import { APP_ENTRY_URL, devServerOrigin, isAppUrl, isExternalWebUrl } from '../../main/app/origin';
import { CONTENT_SECURITY_POLICY, resolveRendererFile } from '../../main/app/renderer-files';
import { hardenedWebPreferences } from '../../main/app/web-preferences';

/** No Electron binary here: the shell modules run against a recording stand-in for 'electron'. */
const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  const exposed: Record<string, unknown> = {};
  const rendererListeners = new Map<string, Set<Listener>>();
  const mainHandlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
  const invoke = vi.fn(async (channel: string, payload: unknown): Promise<unknown> => ({ ok: true, value: { channel, payload } }));
  return {
    exposed,
    rendererListeners,
    mainHandlers,
    invoke,
    module: {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void (exposed[key] = api) },
      ipcRenderer: {
        invoke,
        on: (channel: string, listener: Listener) => {
          const set = rendererListeners.get(channel) ?? new Set<Listener>();
          set.add(listener);
          rendererListeners.set(channel, set);
        },
        removeListener: (channel: string, listener: Listener) => void rendererListeners.get(channel)?.delete(listener),
      },
      ipcMain: { handle: (channel: string, handler: (event: unknown, payload: unknown) => Promise<unknown>) => void mainHandlers.set(channel, handler) },
      BrowserWindow: class {},
    },
  };
});
vi.mock('electron', () => electron.module);

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  asarUnpack: string[];
  npmRebuild?: boolean;
  electronFuses?: Record<string, boolean>;
  linux: { target: string[]; icon: string; category: string };
  win: { target: string[]; icon: string };
  mac: { target: string[]; icon: string; category: string };
}

const builder = parse(read('electron-builder.yml')) as BuilderConfig;

/** electron-builder's glob subset we use: `**` spans folders, `*` stays within one. */
function globMatches(pattern: string, path: string): boolean {
  const source = pattern
    .split(/(\*\*\/?|\*)/)
    .map((part) => (part === '**/' ? '(?:.*/)?' : part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(path);
}

function pngSize(path: string): { width: number; height: number } {
  const data = readFileSync(join(root, path));
  expect(data.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('names the app and its folders', () => {
    expect(builder.appId).toBe('app.modelpilot.desktop');
    expect(builder.productName).toBe('ModelPilot');
    expect(builder.directories).toEqual({ output: 'dist', buildResources: 'resources' });
  });

  it('packs the build output and package.json, never sources or tests', () => {
    expect(builder.files).toEqual(expect.arrayContaining(['out/**/*', 'package.json']));
    const included = builder.files.filter((p) => !p.startsWith('!'));
    for (const source of ['main/app/index.ts', 'renderer/App.svelte', 'test/unit/cli.test.ts', 'electron.vite.config.ts']) {
      expect(included.some((p) => globMatches(p, source)), source).toBe(false);
    }
    expect(builder.files).toContain('!**/node_modules/**/*.map');
  });

  it('targets AppImage and deb on Linux, NSIS on Windows, DMG on macOS', () => {
    expect(builder.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(builder.linux.category.split(';')).toEqual(expect.arrayContaining(['Science', 'Development']));
    expect(builder.win.target).toEqual(['nsis']);
    expect(builder.mac.target).toEqual(['dmg']);
    expect(builder.mac.category).toBe('public.app-category.developer-tools');
  });

  it('points at icon files that exist and have the right sizes', () => {
    expect(pngSize('resources/icon.png')).toEqual({ width: 1024, height: 1024 });
    expect(existsSync(join(root, 'resources/icon.svg'))).toBe(true);
    const linuxIcons = readdirSync(join(root, builder.linux.icon));
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(linuxIcons).toContain(`${size}x${size}.png`);
      expect(pngSize(`${builder.linux.icon}/${size}x${size}.png`)).toEqual({ width: size, height: size });
    }
    expect(readFileSync(join(root, builder.win.icon)).readUInt16LE(2)).toBe(1); // ICO type: icon
    expect(readFileSync(join(root, builder.mac.icon)).subarray(0, 4).toString('ascii')).toBe('icns');
  });

  it('unpacks the wasm binaries and native tfjs-node from app.asar', () => {
    const wasmDir = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
    const wasm = readdirSync(join(root, wasmDir)).filter((f) => f.endsWith('.wasm'));
    expect(wasm.length).toBeGreaterThan(0);
    for (const file of wasm) expect(builder.asarUnpack.some((p) => globMatches(p, `${wasmDir}/${file}`)), file).toBe(true);
    for (const native of [
      'node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node',
      'node_modules/@tensorflow/tfjs-node/deps/lib/libtensorflow.so.2',
      'node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v8/tfjs_binding.node',
    ]) {
      expect(builder.asarUnpack.some((p) => globMatches(p, native)), native).toBe(true);
    }
  });

  it('does not rebuild native modules and turns off run-as-node', () => {
    expect(builder.npmRebuild).toBe(false);
    expect(builder.electronFuses?.runAsNode).toBe(false);
    expect(builder.electronFuses?.enableNodeOptionsEnvironmentVariable).toBe(false);
  });
});

describe('electron-vite build', () => {
  const preload = viteConfig.preload?.build;
  const main = viteConfig.main?.build;

  it('builds the preload as CommonJS index.cjs with its dependencies bundled', () => {
    expect(preloadOutput).toEqual({ format: 'cjs', entryFileNames: '[name].cjs' });
    expect(preload?.rolldownOptions?.output).toMatchObject({ format: 'cjs', entryFileNames: '[name].cjs' });
    expect(preload?.rolldownOptions?.input).toEqual({ index: join(root, 'main/preload.ts') });
    expect(preload?.externalizeDeps).toBe(false);
  });

  it('builds the main process from main/app/index.ts to out/main/index.js', () => {
    expect(main?.outDir).toBe(join(root, 'out/main'));
    expect(main?.rolldownOptions?.input).toMatchObject({ index: join(root, 'main/app/index.ts') });
    expect(JSON.parse(read('package.json')).main).toBe('out/main/index.js');
    expect(read('main/app/index.ts')).toContain("'../preload/index.cjs'");
  });

  it('drops a module\'s own `require` when electron-vite\'s ESM shim declares it too', () => {
    const renderChunk = dedupeRequireShim().renderChunk as (code: string, chunk: { fileName: string }) => { code: string } | null;
    const shim = 'const require = __shims_module__.createRequire(import.meta.url);\n';
    const own = 'var require = createRequire(import.meta.url);\n';
    expect(renderChunk(`${shim}// core\n${own}require.resolve("x");\n`, { fileName: 'index.js' })?.code).toBe(`${shim}// core\nrequire.resolve("x");\n`);
    expect(renderChunk(`${own}require.resolve("x");\n`, { fileName: 'index.js' })).toBeNull();
    expect(() => renderChunk(`${shim}function require() {}\n`, { fileName: 'index.js' })).toThrow(/clashes/);
  });

  it('emitted a main process that parses (no duplicate `require`)', () => {
    buildOnce();
    expect(() => execFileSync(process.execPath, ['--check', join(root, 'out/main/index.js')], { stdio: 'pipe' })).not.toThrow();
  });

  it('emitted a preload that requires only electron', () => {
    buildOnce();
    const code = read('out/preload/index.cjs');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    const required = [...code.matchAll(/require\((['"])([^'"]+)\1\)/g)].map((m) => m[2]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/\bz\.object\(/); // the contract's zod schemas stay on the Node side
  });
});

/** The checks of the build output build it first when it is missing (a fresh clone), rather than skip. */
function buildOnce(): void {
  if (existsSync(join(root, 'out/main/index.js')) && existsSync(join(root, 'out/preload/index.cjs'))) return;
  execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'pipe', timeout: 180_000 });
}

describe('window hardening', () => {
  const prefs = hardenedWebPreferences({ preload: '/app/out/preload/index.cjs', devTools: false });

  it('keeps contextIsolation and the sandbox on and Node off', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
      preload: '/app/out/preload/index.cjs',
    });
  });

  it('is what the window uses, and the pure modules never load electron', () => {
    expect(read('main/app/window.ts')).toMatch(/webPreferences:\s*hardenedWebPreferences\(/);
    for (const file of ['main/app/web-preferences.ts', 'main/app/origin.ts', 'main/app/renderer-files.ts']) {
      expect(read(file), file).not.toMatch(/^import\s+(?!type\b)[^;]*from\s+'electron'/m);
    }
  });

  it('serves a strict CSP: scripts from the app only, no eval, no remote connections', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});

describe('app:// files', () => {
  const rendererRoot = resolve('/opt/modelpilot/out/renderer');

  it('maps app URLs to files under the renderer folder', () => {
    expect(resolveRendererFile(rendererRoot, APP_ENTRY_URL)).toEqual({ ok: true, file: join(rendererRoot, 'index.html') });
    expect(resolveRendererFile(rendererRoot, 'app://modelpilot/')).toEqual({ ok: true, file: join(rendererRoot, 'index.html') });
    expect(resolveRendererFile(rendererRoot, 'app://modelpilot/assets/index-1.js?v=2#x')).toEqual({
      ok: true,
      file: join(rendererRoot, 'assets', 'index-1.js'),
    });
    expect(resolveRendererFile(rendererRoot, 'app://modelpilot/fonts/Noto%20Sans.woff2')).toEqual({
      ok: true,
      file: join(rendererRoot, 'fonts', 'Noto Sans.woff2'),
    });
  });

  it('refuses path traversal, other hosts and malformed paths', () => {
    for (const url of [
      'app://modelpilot/../main/index.js',
      'app://modelpilot/%2e%2e/main/index.js',
      'app://modelpilot/assets/%2e%2e%2f%2e%2e%2fpreload/index.cjs',
      'app://modelpilot/..%5c..%5cmain%5cindex.js',
      'app://modelpilot/%2F%2Fetc/passwd/..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      'app://other/index.html',
      'file:///etc/passwd',
    ]) {
      const lookup = resolveRendererFile(rendererRoot, url);
      if (lookup.ok) expect(lookup.file.startsWith(rendererRoot + (process.platform === 'win32' ? '\\' : '/')), url).toBe(true);
      else expect([400, 404]).toContain(lookup.status);
    }
    // Encoded separators survive URL parsing, so these reach the resolver and must be refused there.
    expect(resolveRendererFile(rendererRoot, 'app://modelpilot/assets/%2e%2e%2f%2e%2e%2fpreload/index.cjs')).toEqual({ ok: false, status: 404 });
    expect(resolveRendererFile(rendererRoot, 'app://modelpilot/..%2F..%2Fmain/index.js')).toEqual({ ok: false, status: 404 });
    expect(resolveRendererFile(rendererRoot, 'app://modelpilot/%E0%A4%A')).toEqual({ ok: false, status: 400 });
    expect(resolveRendererFile(rendererRoot, 'app://modelpilot/index.html%00.png')).toEqual({ ok: false, status: 400 });
    expect(resolveRendererFile(rendererRoot, 'app://other/index.html')).toEqual({ ok: false, status: 404 });
  });

  it('trusts only the app origin (and a loopback dev server in an unpackaged app)', () => {
    expect(isAppUrl('app://modelpilot/index.html')).toBe(true);
    expect(isAppUrl('app://modelpilot')).toBe(true);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('app://user@modelpilot/index.html')).toBe(false);
    expect(isAppUrl('https://modelpilot/index.html')).toBe(false);
    expect(isAppUrl('file:///opt/modelpilot/out/renderer/index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);

    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' };
    expect(devServerOrigin(env, true)).toBeNull();
    expect(devServerOrigin(env, false)).toBe('http://localhost:5173');
    expect(devServerOrigin({ ELECTRON_RENDERER_URL: 'https://example.com/' }, false)).toBeNull();
    expect(isAppUrl('http://localhost:5173/index.html', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/index.html', 'http://localhost:5173')).toBe(false);

    expect(isExternalWebUrl('https://example.com/docs')).toBe(true);
    expect(isExternalWebUrl('file:///etc/passwd')).toBe(false);
    expect(isExternalWebUrl('javascript:alert(1)')).toBe(false);
  });
});

describe('preload', () => {
  const load = async (): Promise<ModelPilotApi> => {
    await import('../../main/preload');
    return electron.exposed.modelpilot as ModelPilotApi;
  };

  it('exposes exactly the contract\'s named functions, `on` and the host-specific `sourceFromFiles`', async () => {
    const api = await load();
    expect(Object.keys(electron.exposed)).toEqual(['modelpilot']);
    expect(Object.keys(api).sort()).toEqual([...channelNames.map(methodName), 'on', 'sourceFromFiles'].sort());
  });

  it('invokes the channel with the payload, and turns a broken main process into a Result', async () => {
    const api = await load();
    expect(await api.projectsOpen({ id: 'churn' })).toEqual({ ok: true, value: { channel: 'projects:open', payload: { id: 'churn' } } });
    electron.invoke.mockRejectedValueOnce(new Error("No handler registered for 'projects:list'"));
    const failed = await api.projectsList();
    expect(failed).toMatchObject({ ok: false, error: { code: 'internal', params: { channel: 'projects:list' } } });
  });

  it('hands event listeners the payload only, and unsubscribes', async () => {
    const api = await load();
    const seen: unknown[][] = [];
    const off = api.on('projects:changed', (...args: unknown[]) => void seen.push(args));
    const relays = [...(electron.rendererListeners.get('projects:changed') ?? [])];
    expect(relays).toHaveLength(1);
    relays[0]!({ sender: 'the IpcRendererEvent' }, { projects: [] });
    expect(seen).toEqual([[{ projects: [] }]]);
    off();
    expect(electron.rendererListeners.get('projects:changed')?.size).toBe(0);
    expect(() => api.on('nope' as never, () => undefined)).toThrow(/unknown event/);
  });
});

describe('ipc', () => {
  const mainFrame = { processId: 4, routingId: 1, url: 'app://modelpilot/index.html' };
  const window = { isDestroyed: () => false, webContents: { id: 7, mainFrame } } as never;
  const event = (senderId: number, frame: object | null) => ({ sender: { id: senderId }, senderFrame: frame }) as never;

  it('trusts only our window\'s main frame showing an app page', () => {
    expect(isTrustedSender(event(7, { ...mainFrame }), window, null)).toBe(true);
    expect(isTrustedSender(event(8, { ...mainFrame }), window, null)).toBe(false); // another WebContents
    expect(isTrustedSender(event(7, { ...mainFrame, routingId: 2 }), window, null)).toBe(false); // an iframe
    expect(isTrustedSender(event(7, { ...mainFrame, url: 'https://evil.example/' }), window, null)).toBe(false);
    expect(isTrustedSender(event(7, null), window, null)).toBe(false); // frame gone
    expect(isTrustedSender(event(7, { ...mainFrame }), null, null)).toBe(false); // no window
  });

  it('registers every contract channel and answers rejected senders with a typed error', async () => {
    const dispatch = vi.fn(async (channel: unknown) => ({ ok: true as const, value: channel }));
    const log = vi.fn();
    registerIpc({ dispatch, isTrustedSender: (e) => (e as unknown as { trusted: boolean }).trusted, log });
    expect([...electron.mainHandlers.keys()].sort()).toEqual(Object.keys(channels).sort());
    const handler = electron.mainHandlers.get('projects:list')!;
    expect(await handler({ trusted: true }, undefined)).toEqual({ ok: true, value: 'projects:list' });
    expect(await handler({ trusted: false, senderFrame: { url: 'https://evil.example/' } }, undefined)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'sender rejected', params: { channel: 'projects:list' } },
    });
    expect(dispatch).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('rejected projects:list'));
  });
});
