import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';
import { projectRoot } from '../../../src/config';
import { findOnPath, startEmbeddedDatabase, type EmbeddedOptions } from '../../../src/shared/db/embedded';
import { isRunning, testDatabaseName, testDatabaseUri, waitFor } from '../../support';
import { jvmTimeoutMs } from '../../support/processes';

// Every test here but the first starts a mongo-java-server (a JVM) of its own.
jest.setTimeout(jvmTimeoutMs);
const embeddedModule = path.join(projectRoot, 'src', 'shared', 'db', 'embedded.ts');
const haveJava = Boolean(findOnPath('java') && findOnPath('mvn'));
const describeWithJava = haveJava ? describe : describe.skip;

function recordingLog(): EmbeddedOptions['log'] & { lines: string[] } {
  const lines: string[] = [];
  const record = (obj: object | string, msg?: string) => {
    lines.push(`${msg ?? ''} ${typeof obj === 'string' ? obj : JSON.stringify(obj)}`);
  };
  return { lines, info: record, warn: record };
}

describe('the test databases', () => {
  it('when a test file asks for its database, then it gets one named after the file that answers', async () => {
    const uri = testDatabaseUri();
    expect(uri).toMatch(/\/rounds_test_shared_database_[0-9a-f]{8}$/);
    const client = await new mongoose.mongo.MongoClient(uri).connect();
    try {
      await expect(client.db().command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    } finally {
      await client.close();
    }
  });

  it('when two files have the same name in different folders, then their databases differ and fit MongoDB’s 64 bytes', () => {
    const unit = testDatabaseName(path.join(projectRoot, 'test/unit/lti/deeplink/deeplink.test.ts'));
    const integration = testDatabaseName(
      path.join(projectRoot, 'test/integration/lti/deeplink/deeplink.test.ts'),
    );
    expect(unit).not.toBe(integration);
    const deepest = testDatabaseName(
      path.join(projectRoot, 'test/integration/lti/registration/a-very-long-name-for-a-test-file.test.ts'),
    );
    // A file may add a suffix of up to 19 bytes for a second database of its own.
    expect(Buffer.byteLength(deepest)).toBeLessThanOrEqual(45);
  });
});

describeWithJava('mongo-java-server as the embedded database', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'rounds-embedded-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when stopped and started again with file persistence, then a saved document is still there', async () => {
    const log = recordingLog();
    const options: EmbeddedOptions = { persistence: 'file', dataDir, log, prefer: 'mongo-java-server' };
    const first = await startEmbeddedDatabase(options);
    try {
      expect(first.kind).toBe('mongo-java-server');
      expect(first.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
      expect(first.dataLocation.startsWith(dataDir)).toBe(true);
      expect(log.lines.some((line) => line.includes('mongo-java-server') && line.includes(dataDir))).toBe(
        true,
      );
      const client = await new mongoose.mongo.MongoClient(first.uri).connect();
      await client.db('rounds').collection('reflections').insertOne({ learner: 'ada', text: 'kept' });
      await client.close();
    } finally {
      await first.stop();
    }
    expect(existsSync(first.dataLocation)).toBe(true);

    const second = await startEmbeddedDatabase(options);
    try {
      const client = await new mongoose.mongo.MongoClient(second.uri).connect();
      const found = await client.db('rounds').collection('reflections').findOne({ learner: 'ada' });
      await client.close();
      expect(found).toMatchObject({ learner: 'ada', text: 'kept' });
    } finally {
      await second.stop();
    }
  });

  it('when a second document repeats a unique field, then mongoose gets a duplicate-key error', async () => {
    const database = await startEmbeddedDatabase({
      persistence: 'memory',
      dataDir,
      log: recordingLog(),
      prefer: 'mongo-java-server',
    });
    const connection = await mongoose.createConnection(`${database.uri}rounds_unique`).asPromise();
    try {
      const Learner = connection.model(
        'Learner',
        new mongoose.Schema({ email: { type: String, unique: true } }),
      );
      await Learner.init();
      await Learner.create({ email: 'ada@example.org' });
      await expect(Learner.create({ email: 'ada@example.org' })).rejects.toMatchObject({ code: 11000 });
      expect(await Learner.countDocuments()).toBe(1);
    } finally {
      await connection.close();
      await database.stop();
    }
  });

  it('when the Node process that started it is killed, then the Java server exits too', async () => {
    const childScript = path.join(dataDir, 'start-and-wait.ts');
    writeFileSync(
      childScript,
      `import { startEmbeddedDatabase } from ${JSON.stringify(embeddedModule.replace(/\.ts$/, ''))};
const log = { info() {}, warn() {} };
startEmbeddedDatabase({ persistence: 'memory', dataDir: ${JSON.stringify(dataDir)}, log, prefer: 'mongo-java-server' })
  .then((database) => process.stdout.write('JAVA_PID ' + database.pid + '\\n'));
setInterval(() => undefined, 60_000);
`,
    );
    // node --import tsx, not the tsx CLI: the CLI runs the script in a grandchild that SIGKILL would not reach.
    const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let childStderr = '';
    child.stderr.on('data', (chunk: Buffer) => (childStderr += chunk.toString()));
    let javaPid: number | undefined;
    try {
      const pid = await new Promise<number>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          const match = /^JAVA_PID (\d+)$/.exec(line);
          if (match) resolve(Number(match[1]));
        });
        child.once('exit', (code) => reject(new Error(`child exited (${code}) early: ${childStderr}`)));
      });
      javaPid = pid;
      expect(isRunning(pid)).toBe(true);

      child.kill('SIGKILL');

      expect(await waitFor('the Java server to exit', () => !isRunning(pid), { timeoutMs: 10_000 })).toBe(
        true,
      );
    } finally {
      child.kill('SIGKILL');
      // Never leave a JVM behind, even when the assertion above failed.
      if (javaPid !== undefined && isRunning(javaPid)) process.kill(javaPid, 'SIGKILL');
    }
  });
});
