#!/usr/bin/env node
/**
 * Packages the built app (out/) into installers with electron-builder and electron-builder.yml.
 * Run after `electron-vite build` (`npm run dist` does both).
 *
 *   node scripts/dist.mjs [--linux [AppImage deb dir …]] [--win [nsis …]] [--mac [dmg …]]
 *                         [--dir] [--x64] [--arm64]
 *
 * Electron itself comes from MODELPILOT_ELECTRON_DIST when set (an unpacked Electron directory,
 * an electron-v<version>-<platform>-<arch>.zip, or a folder holding such zips); otherwise from the
 * download cache or the network. When none can be had, this prints one `error:` line and exits 1.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

class UserError extends Error {}

function die(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

/** The small CLI: platform flags each take the target names that follow them. */
function parseArgs(argv) {
  const options = {};
  let list = null;
  for (const arg of argv) {
    if (arg === '--linux' || arg === '--win' || arg === '--mac') {
      list = options[arg.slice(2)] = [];
    } else if (arg === '--dir' || arg === '--x64' || arg === '--arm64') {
      options[arg.slice(2)] = true;
      list = null;
    } else if (!arg.startsWith('-') && list) {
      list.push(arg);
    } else {
      throw new UserError(`unknown argument ${arg} (use --linux/--win/--mac [targets], --dir, --x64, --arm64)`);
    }
  }
  return options;
}

const electronPackageJson = require.resolve('electron/package.json');
const electronVersion = JSON.parse(readFileSync(electronPackageJson, 'utf8')).version;

/** Which platform/arch pairs the requested build needs an Electron for. */
function wantedElectrons(options) {
  const platforms = [];
  if (options.linux) platforms.push('linux');
  if (options.win) platforms.push('win32');
  if (options.mac) platforms.push('darwin');
  if (platforms.length === 0) platforms.push(process.platform);
  const arches = [];
  if (options.x64) arches.push('x64');
  if (options.arm64) arches.push('arm64');
  if (arches.length === 0) arches.push(process.arch);
  return platforms.flatMap((platform) => arches.map((arch) => ({ platform, arch })));
}

/** MODELPILOT_ELECTRON_DIST, checked: it must exist and, if it says, be the version we build for. */
function electronDistFromEnv() {
  const raw = process.env.MODELPILOT_ELECTRON_DIST?.trim();
  if (!raw) return null;
  const dist = isAbsolute(raw) ? raw : resolve(root, raw);
  if (!existsSync(dist)) throw new UserError(`MODELPILOT_ELECTRON_DIST=${raw} does not exist`);
  if (statSync(dist).isDirectory() && existsSync(join(dist, 'version'))) {
    const found = readFileSync(join(dist, 'version'), 'utf8').trim().replace(/^v/, '');
    if (found !== electronVersion) {
      throw new UserError(`MODELPILOT_ELECTRON_DIST holds Electron ${found}, but the app is built for ${electronVersion}`);
    }
  }
  return dist;
}

/**
 * Electron zips for every wanted platform, from @electron/get's cache or the network (checksums
 * from the electron package, so nothing else is fetched). All zips of one version share a cache
 * folder, which electron-builder accepts as electronDist.
 */
async function fetchElectron(wanted) {
  const getPath = createRequire(electronPackageJson).resolve('@electron/get');
  const { downloadArtifact } = await import(pathToFileURL(getPath).href);
  const checksums = JSON.parse(readFileSync(join(dirname(electronPackageJson), 'checksums.json'), 'utf8'));
  const folders = new Set();
  for (const { platform, arch } of wanted) {
    try {
      const zip = await downloadArtifact({ version: electronVersion, artifactName: 'electron', platform, arch, checksums });
      folders.add(dirname(zip));
    } catch (error) {
      const reason = String(error?.message ?? error).split('\n')[0];
      throw new UserError(
        `no Electron ${electronVersion} for ${platform}-${arch} could be had (download failed: ${reason}); ` +
          'set MODELPILOT_ELECTRON_DIST to an unpacked Electron or its zip',
      );
    }
  }
  if (folders.size !== 1) throw new UserError('the Electron zips landed in different cache folders: build one platform at a time');
  return [...folders][0];
}

function checkBuilt() {
  const missing = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].filter((f) => !existsSync(join(root, f)));
  if (missing.length > 0) throw new UserError(`the app is not built (${missing.join(', ')} missing): run electron-vite build first`);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  checkBuilt();
  const config = YAML.parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
  config.electronDist = electronDistFromEnv() ?? (await fetchElectron(wantedElectrons(options)));
  const { build } = await import('electron-builder');
  try {
    const artifacts = await build({ projectDir: root, config, ...options });
    for (const artifact of artifacts) console.log(`built ${artifact}`);
  } catch (error) {
    throw new UserError(`electron-builder failed: ${String(error?.message ?? error).split('\n')[0]}`);
  }
}

main().catch((error) => die(error instanceof UserError ? error.message : String(error?.message ?? error).split('\n')[0]));
