import pino, { type DestinationStream, type Logger } from 'pino';

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
  '*.registration_token',
  '*.lti_storage_secret',
];

/**
 * The process logger: JSON lines, `level` from config (LOG_LEVEL). `pretty` (development at a terminal) formats
 * them for people with pino-pretty, a dev dependency, so production never loads it. `destination` (tests) writes
 * the lines there instead of stdout.
 */
export function createLogger(
  level: string,
  options: { pretty?: boolean; destination?: DestinationStream } = {},
): Logger {
  const base = { level, redact: { paths: redactedPaths, censor: '[redacted]' } };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname', translateTime: 'HH:MM:ss' } },
    });
  }
  return pino(base);
}
