import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { Parse, type Entry, type ParseStream } from 'unzipper';

interface ReaderEvent {
  eventType: string;
  value: unknown;
}

/** exceljs's own parsers for each part of a workbook; only the walk through the archive is ours. */
interface ExcelParts {
  _parseRels(entry: Entry): Promise<void>;
  _parseWorkbook(entry: Entry): Promise<void>;
  _parseSharedStrings(entry: Entry): AsyncIterable<ReaderEvent>;
  _parseStyles(entry: Entry): Promise<void>;
  _parseWorksheet(chunks: AsyncIterable<Buffer>, sheetNo: string): Iterable<ReaderEvent>;
}

/** The parts a worksheet's cells refer to: sheet names, shared strings, date formats. */
const SHEET_NEEDS = ['xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/sharedStrings.xml', 'xl/styles.xml'];
const WORKSHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/**
 * exceljs's streaming workbook reader (exceljs 4.4.0) with its walk through the archive replaced.
 *
 * exceljs takes the end of unzipper's entry stream for the end of the archive, but unzipper ends
 * that stream as soon as its input is consumed, while entries parsed from the last bytes may
 * still wait in the paused stream. Those last entries (often `xl/workbook.xml`, which names the
 * sheets) were then never read, and reading failed now and then with "Cannot read properties
 * of undefined (reading 'sheets')" (exceljs issue #3064). Here every entry comes from
 * unzipper's `entry` event, which fires for each one before the end.
 *
 * A worksheet stored before the parts its cells refer to is parked in a temporary file and read
 * after the whole archive (as exceljs does); the folder is removed however the walk ends, so a
 * reader may stop early.
 */
export class WorkbookStreamReader extends ExcelJS.stream.xlsx.WorkbookReader {
  constructor(
    private readonly source: Readable,
    options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>,
  ) {
    super(source, options);
  }

  override async *parse(): AsyncGenerator<ReaderEvent> {
    const parts = this as unknown as ExcelParts;
    const zip = Parse();
    zip.on('error', () => undefined); // one that comes after the walk has no reader left to tell
    this.source.pipe(zip);
    const seen = new Set<string>();
    const parked: { sheetNo: string; path: string }[] = [];
    let parkDir: string | null = null;
    try {
      for await (const entry of zipEntries(zip, this.source)) {
        const sheetNo = WORKSHEET.exec(entry.path)?.[1];
        if (entry.path === 'xl/_rels/workbook.xml.rels') await parts._parseRels(entry);
        else if (entry.path === 'xl/workbook.xml') await parts._parseWorkbook(entry);
        else if (entry.path === 'xl/sharedStrings.xml') yield* parts._parseSharedStrings(entry);
        else if (entry.path === 'xl/styles.xml') await parts._parseStyles(entry);
        // Once one sheet is parked, so are the later ones: sheets come out in stored order.
        else if (sheetNo !== undefined && parked.length === 0 && SHEET_NEEDS.every((part) => seen.has(part))) {
          yield* parts._parseWorksheet(entry, sheetNo);
        } else if (sheetNo !== undefined) {
          parkDir ??= await mkdtemp(join(tmpdir(), 'modelpilot-xlsx-'));
          const path = join(parkDir, `sheet${sheetNo}.xml`);
          await pipeline(entry, createWriteStream(path));
          parked.push({ sheetNo, path });
        }
        seen.add(entry.path);
        entry.autodrain(); // whatever a parser left unread, and the parts nobody reads
      }
      for (const { sheetNo, path } of parked) yield* parts._parseWorksheet(createReadStream(path), sheetNo);
    } finally {
      this.source.unpipe(zip);
      this.source.destroy(); // stops the reading when the walk ends early
      if (parkDir) await rm(parkDir, { recursive: true, force: true });
    }
  }
}

/**
 * Every entry of the archive in stored order, each handed over once the previous one has been
 * dealt with (unzipper waits for an entry's bytes to be read before it parses the next). Fails
 * when the archive or the bytes feeding it fail: `pipe` does not forward a source's error.
 */
async function* zipEntries(zip: ParseStream, source: Readable): AsyncGenerator<Entry> {
  const waiting: Entry[] = [];
  let finished = false;
  let failure: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    wake?.();
    wake = null;
  };
  const onEntry = (entry: Entry): void => {
    waiting.push(entry);
    notify();
  };
  const onFinish = (): void => {
    // unzipper finishes when its input is used up; an archive cut short ends before its table of
    // contents, and must not pass for a whole one with fewer sheets or rows.
    if (!(zip as ParseStream & { reachedCD?: boolean }).reachedCD) failure ??= { error: new Error('the file ends too early') };
    finished = true;
    notify();
  };
  const onError = (error: unknown): void => {
    failure ??= { error };
    notify();
  };
  zip.on('entry', onEntry).on('finish', onFinish).on('error', onError);
  source.on('error', onError);
  try {
    for (;;) {
      if (failure) throw (failure as { error: unknown }).error;
      const entry = waiting.shift();
      if (entry) yield entry;
      else if (finished) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    zip.off('entry', onEntry).off('finish', onFinish).off('error', onError);
    source.off('error', onError);
  }
}
