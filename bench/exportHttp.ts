/**
 * The HTTP side of `bench:export`: posting the export form and reading the file as it streams, counting its CSV
 * records and bytes without keeping them.
 */
import http from 'node:http';

export interface Streamed {
  status: number;
  contentType: string;
  rows: number;
  bytes: number;
  firstByteMs: number;
  ms: number;
  location?: string;
}

/**
 * Counts CSV records as the chunks arrive, jumping with indexOf between quotes and newlines (RFC 4180: a newline
 * inside quotes is data; a doubled quote toggles twice and so stays inside), so counting costs little of the CPU
 * the server and the database share with this process.
 */
function csvRecordCounter() {
  let quoted = false;
  let records = 0;
  let pendingRecord = false;
  return {
    push(chunk: Buffer) {
      let at = 0;
      while (at < chunk.length) {
        if (quoted) {
          const quote = chunk.indexOf(34, at);
          if (quote < 0) break;
          quoted = false;
          at = quote + 1;
          continue;
        }
        const quote = chunk.indexOf(34, at);
        const newline = chunk.indexOf(10, at);
        if (newline >= 0 && (quote < 0 || newline < quote)) {
          records += 1;
          pendingRecord = false;
          at = newline + 1;
        } else if (quote >= 0) {
          quoted = true;
          pendingRecord = true;
          at = quote + 1;
        } else break;
      }
      if (at < chunk.length) pendingRecord = true;
    },
    /** Records so far, a last one without its line ending included. */
    get records() {
      return records + (pendingRecord ? 1 : 0);
    },
  };
}

/** Posts the export form and reads the answer to its end, counting rows and bytes without keeping them. */
export function streamExport(url: string, cookie: string, form: Record<string, string>): Promise<Streamed> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    const request = http.request(
      `${url}/cme/admin/exports`,
      {
        method: 'POST',
        headers: {
          accept: 'text/html,text/csv,*/*',
          cookie,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const firstByteMs = elapsed();
        const counter = csvRecordCounter();
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          counter.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            rows: Math.max(0, counter.records - 1),
            bytes,
            firstByteMs,
            ms: elapsed(),
            location: response.headers.location,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
