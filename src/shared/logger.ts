import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths pino blanks out wherever they appear: tokens, cookies and credentials never reach a log line. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.id_token',
  '*.client_assertion',
  '*.access_token',
  '*.ltik',
  '*.password',
];

/** The process logger. JSON lines; `level` comes from config (LOG_LEVEL). */
export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: '[redacted]' } });
}
