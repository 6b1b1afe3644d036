/**
 * The child side of `bench:launch`'s line protocol over stdin/stdout: the server prints `READY <url>` once it
 * listens; `cpu` on stdin is answered with `CPU <microseconds>`, this process's user+system CPU so far (all its
 * threads: app, sandbox LMS, libuv pool, GC); closing stdin closes the server and exits.
 */
import { createInterface } from 'node:readline';

export function serveBenchProtocol(url: string, close: () => Promise<unknown>): void {
  process.stdout.write(`READY ${url}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() !== 'cpu') return;
    const { user, system } = process.cpuUsage();
    process.stdout.write(`CPU ${user + system}\n`);
  });
  lines.on('close', () => void close().finally(() => process.exit(0)));
}
