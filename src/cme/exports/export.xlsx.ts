import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';

/** One instant for every date an XLSX holds (document properties, zip entries): no time inside the file. */
const fixedDate = new Date(Date.UTC(2000, 0, 1));

/** Excel's row limit is 1,048,576 including the header line. */
export const xlsxMaxDataRows = 1_048_575;

interface Archive {
  append(source: unknown, data: Record<string, unknown>): unknown;
  readableLength: number;
  writableLength: number;
}

const archives = new WeakMap<object, Archive>();

/**
 * exceljs' streaming workbook writer with every zip entry dated `fixedDate` (exceljs stamps each entry with the
 * current time, so two runs would differ byte for byte). The base constructor assigns `this.zip`: this accessor
 * wraps the archive's `append` as it arrives. (A class field would be reset after the constructor: a WeakMap keeps
 * it.)
 */
class FixedDatesWorkbookWriter extends ExcelJS.stream.xlsx.WorkbookWriter {
  get zip(): Archive {
    return archives.get(this)!;
  }

  set zip(archive: Archive) {
    const append = archive.append.bind(archive);
    archive.append = (source, data) => append(source, { ...data, date: fixedDate });
    archives.set(this, archive);
  }
}

/** An XLSX being written: rows go in one at a time, bytes come out of `stream` (the writer's meter). */
export interface XlsxSheet {
  addRow(values: Array<string | number>): void;
  /** Bytes compressed but not yet taken by `stream`, to wait on between batches (exceljs has no back-pressure). */
  pending(): number;
  commit(): Promise<void>;
}

/**
 * A one-sheet workbook ("Learners") written to `stream`: no shared strings and no styles (exceljs would keep them
 * all in memory until the end), fixed document dates, so the same rows give the same bytes.
 */
export function openXlsx(stream: Writable): XlsxSheet {
  const workbook = new FixedDatesWorkbookWriter({ stream, useSharedStrings: false, useStyles: false });
  workbook.creator = 'Rounds';
  workbook.lastModifiedBy = 'Rounds';
  workbook.created = fixedDate;
  workbook.modified = fixedDate;
  const sheet = workbook.addWorksheet('Learners');
  return {
    addRow(values) {
      sheet.addRow(values).commit();
    },
    pending() {
      const archive = workbook.zip;
      return archive.readableLength + archive.writableLength;
    },
    async commit() {
      sheet.commit();
      await workbook.commit();
    },
  };
}
