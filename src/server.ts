import { ConfigError, loadConfig } from './config';
import { listenBehindGate } from './shared/http/starting';
import { createLogger } from './shared/logger';
import type { Rounds } from './runtime';

/** How long shutdown may take before the process exits anyway. */
const shutdownGraceMs = 10_000;

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Rounds cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, {
    pretty: config.env === 'development' && process.stdout.isTTY,
  });
  let rounds: Rounds | undefined;
  let stopping = false;

  const shutdown = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    setTimeout(() => process.exit(exitCode || 1), shutdownGraceMs).unref();
    await rounds?.close().catch((error) => logger.error({ err: error }, 'error during shutdown'));
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    void shutdown('uncaught exception', 1);
  });
  process.on('unhandledRejection', (error) => {
    logger.fatal({ err: error }, 'unhandled rejection');
    void shutdown('unhandled rejection', 1);
  });

  try {
    // Listen before loading the app's modules (express, mongoose, every route: a second or two), so a request in
    // the very first moments of a boot already gets its 503 instead of a refused connection.
    const listening = await listenBehindGate(config.port, config.host);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startRounds } = require('./runtime') as typeof import('./runtime');
    rounds = await startRounds(config, logger, { listening });
  } catch (error) {
    console.error(`Rounds cannot start: ${(error as Error).message}`);
    logger.debug({ err: error }, 'boot failed');
    process.exit(1);
  }
  logger.info(
    { url: rounds.url, sandbox: config.sandbox ? `${rounds.url}/sandbox` : 'off' },
    'Rounds is listening',
  );
  if (stopping) await rounds.close();
}

void main();
