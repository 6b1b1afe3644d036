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

/**
 * Prints a run's table (p50, p95, p99 and p95 against the baseline's, per kind of request) and its failed
 * requests; true when nothing failed and every kind but the baseline has its p95 under `targetMs`.
 */
export function reportLatencies(
  latencies: Map<string, number[]>,
  failures: string[],
  options: { baseline: string; targetMs: number; target: string },
): boolean {
  const baseline = latencySummary(latencies.get(options.baseline)!);
  console.log(
    `\n${'request'.padEnd(28)}${'p50 ms'.padStart(8)}${'p95 ms'.padStart(8)}${'p99 ms'.padStart(8)}  p95 / baseline`,
  );
  let pass = failures.length === 0;
  for (const [kind, measured] of latencies) {
    const figures = latencySummary(measured);
    const verdict = kind === options.baseline ? '' : figures.p95 < options.targetMs ? 'PASS' : 'FAIL';
    if (verdict === 'FAIL') pass = false;
    console.log(
      `${kind.padEnd(28)}${figures.p50.toFixed(1).padStart(8)}${figures.p95.toFixed(1).padStart(8)}${figures.p99.toFixed(1).padStart(8)}  ${(figures.p95 / baseline.p95).toFixed(2).padStart(5)}  ${verdict}`,
    );
  }
  console.log(
    `\ntarget: p95 < ${options.targetMs} ms for ${options.target}; ${failures.length} failed requests`,
  );
  for (const failure of [...new Set(failures)].slice(0, 10)) console.log(`  ${failure}`);
  return pass;
}
