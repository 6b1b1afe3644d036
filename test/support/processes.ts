import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/config';
import {
  startEmbeddedDatabase,
  type EmbeddedDatabase,
  type EmbeddedOptions,
} from '../../src/shared/db/embedded';

const run = promisify(execFile);

/**
 * Timeout of a test (and its hooks) that starts a JVM: mongo-java-server, directly or under a server process.
 * A JVM's start on a loaded 2-core machine, plus Maven's first resolve, takes far longer than the suite's 60 s.
 */
export const jvmTimeoutMs = 120_000;

/** What a command printed and how it ended. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `rounds <args>` as an operator would (bin/rounds.js in the project folder) with `env` added to this
 * process's environment; resolves with its exit code and output whether it succeeded or not.
 */
export async function runCli(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [path.join(projectRoot, 'bin/rounds.js'), ...args],
      {
        cwd: projectRoot,
        env: { ...process.env, ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** A database log that says nothing (the tests read what they need from the database itself). */
export const quietDatabaseLog = { info: () => undefined, warn: () => undefined };

/**
 * A mongo-java-server of the test's own (a JVM; give the test jvmTimeoutMs), so stopping or restarting it
 * disturbs no other test file: in memory, silent, unless `options` say otherwise. The caller stops it.
 */
export function startOwnDatabaseServer(options: Partial<EmbeddedOptions> = {}): Promise<EmbeddedDatabase> {
  return startEmbeddedDatabase({
    persistence: 'memory',
    dataDir: path.join(projectRoot, 'data', 'test'),
    log: quietDatabaseLog,
    prefer: 'mongo-java-server',
    ...options,
  });
}
