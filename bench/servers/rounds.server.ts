/** Rounds as `npm run dev` runs it, on the benchmark's database. Prints `READY <url>` when it listens. */
import { loadConfig } from '../../src/config';
import { startRounds } from '../../src/runtime';
import { createLogger } from '../../src/shared/logger';

async function main() {
  const config = loadConfig({ port: 0, mongodbUri: process.argv[2]!, logLevel: 'silent' });
  const rounds = await startRounds(config, createLogger('silent'));
  process.stdout.write(`READY ${rounds.url}\n`);
  process.stdin.on('end', () => void rounds.close().then(() => process.exit(0)));
  process.stdin.resume();
}

void main();
