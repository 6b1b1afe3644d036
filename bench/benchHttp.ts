/**
 * What the HTTP benchmarks share: option parsing, one timed request over a keep-alive agent, and latency
 * percentiles.
 */
import http from 'node:http';

/** A whole positive number from a command-line option, or a clear error naming it. */
export function positive(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${option}: "${text}" is not a positive whole number`);
  return value;
}

/** One request; resolves with its status, headers and the milliseconds to its last byte. */
export function timedRequest(
  agent: http.Agent,
  url: string,
  options: { method: 'GET' | 'POST'; cookie?: string; form?: Record<string, string> },
): Promise<{ status: number; ms: number; headers: http.IncomingHttpHeaders; body: string }> {
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const request = http.request(
      url,
      {
        method: options.method,
        agent,
        headers: {
          accept: 'text/html',
          ...(options.cookie ? { cookie: options.cookie } : {}),
          ...(body
            ? {
                'content-type': 'application/x-www-form-urlencoded',
                'content-length': Buffer.byteLength(body),
              }
            : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** p50, p95 and p99 of a run's latencies (milliseconds); NaN for a run without any. */
export function latencySummary(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return { p50: at(50), p95: at(95), p99: at(99) };
}
