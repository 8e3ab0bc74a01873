#!/usr/bin/env node
/**
 * Renders resources/icon.svg into every icon file packaging needs, with Debian's Chromium driven
 * by playwright-core (no browser download):
 *   resources/icon.png            1024×1024 (also the source electron-builder falls back to)
 *   resources/icons/NxN.png       Linux icon set (16 … 1024)
 *   resources/icon.ico            Windows (PNG-compressed entries, 16 … 256)
 *   resources/icon.icns           macOS (PNG entries, 16 … 1024)
 * Run: node scripts/render-icons.mjs   (CHROMIUM_PATH overrides the browser)
 */
/* global document, HTMLImageElement -- the waitForFunction callback runs in the page */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const resources = join(root, 'resources');
const linuxSizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const icoSizes = [16, 24, 32, 48, 64, 128, 256];
/** ICNS element types holding PNG data, by pixel size. */
const icnsTypes = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/lib/chromium/chromium'];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) {
    console.error('error: no Chromium found; install it with `apt-get install -y chromium` or set CHROMIUM_PATH');
    process.exit(1);
  }
  return found;
}

async function renderAll(svg, sizes) {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1024, height: 1024 }, deviceScaleFactor: 1 });
    const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    const pngs = new Map();
    for (const size of sizes) {
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">` +
          `<img id="icon" src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`,
      );
      await page.waitForFunction(() => {
        const img = document.getElementById('icon');
        return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
      });
      pngs.set(size, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
    }
    return pngs;
  } finally {
    await browser.close();
  }
}

/** ICO with PNG-compressed images (Windows Vista and later). */
function buildIco(pngs) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  const entries = [];
  let offset = 6 + 16 * pngs.length;
  for (const [size, data] of pngs) {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2);
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += data.length;
    entries.push(entry);
  }
  return Buffer.concat([header, ...entries, ...pngs.map(([, data]) => data)]);
}

/** ICNS whose elements are PNG files (supported since macOS 10.7). */
function buildIcns(elements) {
  const chunks = elements.map(([type, data]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(8 + data.length, 4);
    return Buffer.concat([head, data]);
  });
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + body.length, 4);
  return Buffer.concat([head, body]);
}

const svg = await readFile(join(resources, 'icon.svg'), 'utf8');
const pngs = await renderAll(svg, linuxSizes);
await mkdir(join(resources, 'icons'), { recursive: true });
for (const size of linuxSizes) await writeFile(join(resources, 'icons', `${size}x${size}.png`), pngs.get(size));
await writeFile(join(resources, 'icon.png'), pngs.get(1024));
await writeFile(join(resources, 'icon.ico'), buildIco(icoSizes.map((size) => [size, pngs.get(size)])));
await writeFile(join(resources, 'icon.icns'), buildIcns(icnsTypes.map(([type, size]) => [type, pngs.get(size)])));
console.log(`rendered ${linuxSizes.length} PNG sizes, icon.png, icon.ico, icon.icns into ${resources}`);
