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

/**
 * The process logger: JSON lines, `level` from config (LOG_LEVEL). `pretty` (development at a terminal) formats
 * them for people with pino-pretty, a dev dependency, so production never loads it.
 */
export function createLogger(level: string, options: { pretty?: boolean } = {}): Logger {
  const base = { level, redact: { paths: redactedPaths, censor: '[redacted]' } };
  if (options.pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname', translateTime: 'HH:MM:ss' } },
    });
  }
  return pino(base);
}
