import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { buildApp } from './app';
import { seedDemoCme } from './cme';
import { startExportJobs, type ExportJobs } from './cme/exports';
import { seedDemoCohorts, startCohortRosterSync, type DemoCourse } from './cohorts';
import type { Config } from './config';
import { startLmsServices, type OutboxWorker } from './lti/services';
import { createLti, type Lti } from './lti/lti.routes';
import {
  dropLtijsLeftovers,
  changeDeployments,
  findPlatformByIdentity,
  registerPlatform,
  updatePlatform,
  type PlatformRegistration,
} from './lti/registration';
import { createSandbox, type Sandbox } from './sandbox';
import mongoose from 'mongoose';
import { openDatabase, type Database } from './shared/database';
import { listenBehindGate, type BootGate } from './shared/http/starting';
import type { Logger } from './shared/logger';
import { startSweeper } from './shared/sweeper';
import { migrateLegacyCourseRoles, TenantModel } from './tenancy';
import {
  closeWellbeingKeyStore,
  formatPackError,
  importBundledModules,
  openWellbeingKeyStore,
} from './wellbeing';

/** A running Rounds: the HTTP server, its app and what it holds open. */
export interface Rounds {
  config: Config;
  app: Express;
  server: Server;
  /** The origin Rounds is reached at (config.publicUrl, or the bound address when that was left empty). */
  url: string;
  database: Database;
  lti: Lti;
  sandbox?: Sandbox;
  /** The outbox worker sending grades and roster syncs to the LMS. */
  outbox: OutboxWorker;
  /** The CME export job worker (issue 14): large exports written to GridFS in the background. */
  exportJobs: ExportJobs;
  /** Stops accepting requests, then closes the database and (if embedded) the database server. */
  close(): Promise<void>;
}

/** Seams into the boot, for tests only. */
export interface StartOptions {
  /** Opens the database (default: the real `openDatabase`); a test wraps it to hold the start back. */
  openDatabase?: typeof openDatabase;
  /**
   * A server already listening behind its boot gate (server.ts opens the port before it loads the app's modules,
   * so the very first request of a boot is answered too); default: one made here.
   */
  listening?: { server: Server; gate: BootGate };
}

/**
 * Boots Rounds: the listener first, answering 503 until ready; then the database (embedded unless MONGODB_URI),
 * the sandbox LMS when enabled (registering itself), the app, the outbox worker and the sweeper. Listening first
 * means a request during boot is answered at once, and `port: 0` in tests knows its URL before the app is built.
 * A failed boot closes the listener and every connection, then rejects.
 */
export async function startRounds(
  initialConfig: Config,
  logger: Logger,
  options: StartOptions = {},
): Promise<Rounds> {
  const { server, gate } =
    options.listening ?? (await listenBehindGate(initialConfig.port, initialConfig.host));
  const { port } = server.address() as AddressInfo;
  const url = initialConfig.port === 0 ? `http://127.0.0.1:${port}` : initialConfig.publicUrl;
  const config: Config = Object.freeze({ ...initialConfig, port, publicUrl: url });
  logger.info({ url, port }, 'Rounds is starting: requests get 503 until it is ready');

  let database: Database | undefined;
  let outbox: OutboxWorker | undefined;
  let exportJobs: ExportJobs | undefined;
  let cohortJobs: { stop(): Promise<void> } | undefined;
  try {
    database = await (options.openDatabase ?? openDatabase)(config, logger);
    await dropLtijsLeftovers(mongoose.connection.db!, logger);
    // Every model builds its indexes once connected. On a new database mongo-java-server fails a write that races
    // those builds ("Unknown error: null"), so Rounds serves only once they are done (quick when they exist).
    await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
    const migrated = await migrateLegacyCourseRoles();
    if (migrated.enrollments + migrated.sessions > 0)
      logger.info(migrated, 'course role mentor renamed instructor');
    await importBundledContent(logger);
    await openWellbeingKeyStore(config.wellbeingKeysUri, config.databaseTimeoutSeconds * 1000);
    const lti = createLti(config);
    const sandbox = config.sandbox ? await startSandbox(config, logger) : undefined;
    const app = buildApp({ config, logger, lti, sandbox: sandbox?.router });
    gate.open(app);
    // Cohorts listen for applied rosters before the outbox can run a roster sync.
    cohortJobs = startCohortRosterSync({ config, logger });
    outbox = await startLmsServices(config, logger);
    exportJobs = startExportJobs(config, logger);
    const stopSweeper = startSweeper(
      {
        intervalSeconds: config.sweepIntervalSeconds,
        pendingRegistrationDays: config.pendingRegistrationDays,
      },
      logger,
    );
    const rounds: Rounds = {
      config,
      app,
      server,
      url,
      database,
      lti,
      sandbox,
      outbox,
      exportJobs,
      close: async () => {
        stopSweeper();
        await cohortJobs!.stop();
        // The job in hand finishes first: it may be talking to the sandbox on this very server.
        await outbox!.stop();
        // A job in hand is handed back (its partial file deleted) for the next Rounds to take up.
        await exportJobs!.stop();
        await closeServer(server);
        await closeWellbeingKeyStore();
        await database!.close();
      },
    };
    return rounds;
  } catch (error) {
    await cohortJobs?.stop();
    await outbox?.stop();
    await exportJobs?.stop();
    await closeServer(server);
    await closeWellbeingKeyStore().catch(() => undefined);
    await database?.close().catch(() => undefined);
    throw error;
  }
}

/**
 * The modules shipped in content/modules, imported on every boot so a fresh install (and an upgrade that changed
 * a module) serves them without a manual step; unchanged modules are a no-op. A pack that fails validation is a
 * build error (CI checks them), so it stops boot with the file, line and field.
 */
async function importBundledContent(logger: Logger): Promise<void> {
  const result = await importBundledModules();
  if (!result.ok) {
    throw new Error(
      `The bundled module packs are invalid:\n${result.errors.map(formatPackError).join('\n')}`,
    );
  }
  const changed = result.modules.filter((module) => module.status !== 'unchanged');
  if (changed.length > 0) {
    logger.info(
      { modules: changed.map((m) => `${m.slug} v${m.version} (${m.status})`) },
      'bundled modules imported',
    );
  }
}

async function startSandbox(config: Config, logger: Logger): Promise<Sandbox> {
  // SANDBOX_HOST puts the sandbox on another site than Rounds (say localhost vs 127.0.0.1), as a real LMS is.
  const sandboxUrl = new URL(config.publicUrl);
  if (config.sandboxHost) sandboxUrl.hostname = config.sandboxHost;
  const sandbox = await createSandbox({
    publicUrl: sandboxUrl.origin,
    logger,
    tool: {
      loginUrl: `${config.publicUrl}/lti/login`,
      launchUrl: `${config.publicUrl}/lti/launch`,
      deepLinkUrl: `${config.publicUrl}/lti/deeplink`,
      jwksUrl: `${config.publicUrl}/lti/keys`,
    },
  });
  await registerSandbox(sandbox.registration);
  logger.info({ issuer: sandbox.issuer }, 'sandbox LMS registered');
  if (config.sandboxDemoData) await seedSandboxDemo(sandbox, logger);
  return sandbox;
}

/** The sandbox's course and people as the demo seeds take them. */
export function sandboxDemoCourse(sandbox: Sandbox): DemoCourse {
  return {
    platform: {
      issuer: sandbox.issuer,
      clientId: sandbox.clientId,
      deploymentId: sandbox.deploymentId,
      name: sandbox.registration.name,
    },
    course: sandbox.course,
    people: sandbox.people.map((person) => ({
      key: person.key,
      subject: person.userId,
      name: person.name,
      givenName: person.givenName,
      familyName: person.familyName,
      email: person.email,
      ltiRoles: person.roles,
    })),
  };
}

/** The sandbox course's demo cohorts (issue 12, item 9) and CME activity (issue 13, item 7), seeded once. */
async function seedSandboxDemo(sandbox: Sandbox, logger: Logger): Promise<void> {
  const demo = sandboxDemoCourse(sandbox);
  if (await seedDemoCohorts(demo, sandbox)) logger.info('sandbox course seeded with demo cohorts');
  if (await seedDemoCme(demo, sandbox)) logger.info('sandbox course seeded with a demo CME activity');
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** The sandbox is Rounds' own LMS: registered on first boot, its endpoints kept current on every later one. */
async function registerSandbox(registration: PlatformRegistration): Promise<void> {
  const { issuer, clientId, name, authUrl, tokenUrl, jwksUrl, deploymentIds } = registration;
  if (await findPlatformByIdentity(issuer, clientId)) {
    await updatePlatform(issuer, clientId, { name, authUrl, tokenUrl, jwksUrl });
    await changeDeployments(issuer, clientId, { add: deploymentIds });
    return;
  }
  // A database kept from an earlier sandbox (its platform removed by hand) still has its tenants: take them over.
  const tenants = await TenantModel.find({ issuer, clientId }, { _id: 1 }).lean();
  await registerPlatform(registration, { reuseTenants: tenants.map((tenant) => String(tenant._id)) });
}
