import { Writable } from 'node:stream';
import type { Response } from 'express';

/**
 * The HTTP response as the engine's sink, for a file streamed in the request that asked for it. Headers (an
 * attachment, its type, `Cache-Control: no-store`) go out with the first byte, so a file with no rows leaves the
 * response untouched (the route redirects to the form with a message instead). Honours back-pressure: a write
 * waits for `drain`. A client that goes away fails the pending write and the final flush, so the engine rejects
 * and the export is never marked complete.
 */
export function responseSink(
  res: Response,
  file: { fileName: string; contentType: string },
): Writable & { started(): boolean } {
  let started = false;

  /** Resolves `callback` once `event` fires on the response, or fails it when the connection closes first. */
  const whenResponse = (event: 'drain' | 'finish', callback: (error?: Error | null) => void) => {
    const done = () => {
      res.off(event, done);
      res.off('close', closed);
      callback();
    };
    const closed = () => {
      res.off(event, done);
      res.off('close', closed);
      callback(
        event === 'finish' && res.writableFinished ? null : new Error('The client went away mid-download.'),
      );
    };
    res.on(event, done);
    res.on('close', closed);
  };

  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (res.destroyed || res.writableEnded)
        return callback(new Error('The client went away mid-download.'));
      if (!started) {
        started = true;
        res.status(200);
        res.setHeader('Content-Type', file.contentType);
        res.attachment(file.fileName);
        res.setHeader('Cache-Control', 'no-store');
      }
      if (res.write(chunk)) callback();
      else whenResponse('drain', callback);
    },
    final(callback) {
      if (!started) return callback();
      if (res.destroyed) return callback(new Error('The client went away mid-download.'));
      whenResponse('finish', callback);
      res.end();
    },
  });
  return Object.assign(sink, { started: () => started });
}
