import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import iconv from 'iconv-lite';
import { CoreError } from '../errors';
import { throwIfCancelled, unreadable } from './byte-source';
import { detectEncoding } from './detect-encoding';
import { countReplacementChars, MAX_ROW_CHARS, type RowSink, type ScanOptions, type ScanSummary } from './row-sink';

/** The two columns a text folder becomes. */
export const TEXT_FOLDER_COLUMNS = ['text', 'label'];

export interface TextFolderListing {
  /** Label (subfolder name) -> its .txt files, relative to the folder, sorted. */
  labels: { label: string; files: string[] }[];
  files: number;
  bytes: number;
  /** Files that are not .txt, or .txt files outside any label folder. */
  ignored: number;
}

const HIDDEN = /^(\.|__MACOSX$|Thumbs\.db$|desktop\.ini$)/i;

/**
 * Lists a text-classification folder: one subfolder per label, .txt files inside (at any depth).
 * Sorted so the listing, the copy and the content hash are the same on every platform.
 */
export async function listTextFolder(dir: string): Promise<TextFolderListing> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw unreadable(dir, error);
  }
  const labels: { label: string; files: string[] }[] = [];
  let ignored = 0;
  let bytes = 0;
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (HIDDEN.test(entry.name)) continue;
    if (!entry.isDirectory()) {
      ignored++;
      continue;
    }
    const files: string[] = [];
    for (const path of await walk(join(dir, entry.name))) {
      if (!path.toLowerCase().endsWith('.txt')) {
        ignored++;
        continue;
      }
      files.push(relative(dir, path).split(sep).join('/'));
      bytes += (await stat(path)).size;
    }
    if (files.length > 0) labels.push({ label: entry.name.normalize('NFC'), files: files.sort() });
  }
  const count = labels.reduce((n, l) => n + l.files.length, 0);
  if (count === 0) {
    throw new CoreError(
      'data_no_text_files',
      `${basename(dir)} has no .txt files in label subfolders; put each class's .txt files in a subfolder named after the class`,
      { path: dir, file: basename(dir) },
    );
  }
  return { labels, files: count, bytes, ignored };
}

/** A text folder teaches nothing with one label subfolder: `data_one_class`. */
export function assertTwoClasses(listing: TextFolderListing, dir: string): void {
  if (listing.labels.length >= 2) return;
  const only = listing.labels[0]?.label ?? '';
  throw new CoreError('data_one_class', `${basename(dir)} has only one label subfolder ("${only}"); make one subfolder per class, at least two`, {
    file: basename(dir),
    column: 'label',
    value: only,
  });
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw unreadable(dir, error);
  }
  for (const entry of entries) {
    if (HIDDEN.test(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** Decodes one text file, detecting its encoding (a folder may mix UTF-8 and GBK files). */
export function decodeTextFile(bytes: Buffer, name: string): { text: string; replacementChars: number } {
  if (bytes.length === 0) return { text: '', replacementChars: 0 };
  const { encoding } = detectEncoding(bytes.subarray(0, 256 * 1024), bytes.length <= 256 * 1024, name);
  const text = iconv.decode(bytes, encoding).replace(/\r\n?/g, '\n').trim();
  return { text, replacementChars: countReplacementChars(text) };
}

/** Streams a text folder as rows [text, label], one file at a time. */
export async function scanTextFolder(dir: string, sink: RowSink, options: ScanOptions = {}, listing?: TextFolderListing): Promise<ScanSummary> {
  const list = listing ?? (await listTextFolder(dir));
  sink.onColumns(TEXT_FOLDER_COLUMNS);
  let rows = 0;
  let replacementChars = 0;
  for (const { label, files } of list.labels) {
    for (const file of files) {
      throwIfCancelled(options.signal);
      const path = join(dir, ...file.split('/'));
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch (error) {
        throw unreadable(path, error);
      }
      if (bytes.length > MAX_ROW_CHARS) {
        throw new CoreError('data_too_large', `${file} is larger than ${MAX_ROW_CHARS / 1024 / 1024} MB`, {
          file,
          limitMB: MAX_ROW_CHARS / 1024 / 1024,
        });
      }
      if (options.tap) await options.tap(bytes);
      const decoded = decodeTextFile(bytes, file);
      replacementChars += decoded.replacementChars;
      rows++;
      sink.onRow([decoded.text === '' ? null : decoded.text, label]);
      if (options.progress) {
        options.progress.bytesRead += bytes.length;
        options.progress.rows = rows;
        options.progress.report();
      }
      if (options.limit !== undefined && rows >= options.limit) return { rows, columns: TEXT_FOLDER_COLUMNS, replacementChars };
    }
  }
  options.progress?.report(true);
  return { rows, columns: TEXT_FOLDER_COLUMNS, replacementChars };
}
