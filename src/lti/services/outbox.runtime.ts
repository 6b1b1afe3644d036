import type { Config } from '../../config';
import { privateAddressesAllowed } from '../../shared/http/outbound';
import type { Logger } from '../../shared/logger';
import { gradeHandler } from './grades.service';
import { ToolKeyModel, configureToolKeys, ensureToolKey } from '../keys';
import { OutboxJobModel } from './outbox.model';
import { startOutboxWorker, type OutboxWorker } from './outbox.worker';
import { PlatformServices } from './platformServices.client';
import { ResourceLinkModel } from './resourceLink.model';
import { rosterSyncHandler } from './roster.service';

export type { OutboxWorker } from './outbox.worker';

/**
 * Prepares the Advantage services side of Rounds once the database is open: the tool's signing key (created on
 * first boot), the unique indexes idempotency and key rotation rely on, and the outbox worker that sends grades
 * and roster syncs. Stop the returned worker before closing the database.
 */
export async function startLmsServices(config: Config, logger: Logger): Promise<OutboxWorker> {
  configureToolKeys({
    encryptionKey: config.ltiEncryptionKey,
    retirementHours: config.toolKeyRetirementHours,
  });
  await Promise.all([OutboxJobModel.init(), ToolKeyModel.init(), ResourceLinkModel.init()]);
  await ensureToolKey();
  // One token cache per process: a restart asks the platform for fresh tokens. Private addresses (the sandbox on
  // 127.0.0.1) only outside production: a token or service URL is the LMS's to choose.
  const services = new PlatformServices({ allowPrivateAddresses: privateAddressesAllowed(config) });
  return startOutboxWorker({
    handlers: {
      grade: gradeHandler(services),
      'roster-sync': rosterSyncHandler(services, config.nrpsPageSize),
    },
    logger,
    pollMilliseconds: config.outboxPollMilliseconds,
    leaseSeconds: config.outboxLeaseSeconds,
    maxAttempts: config.outboxMaxAttempts,
    retryBaseMilliseconds: config.outboxRetryBaseMilliseconds,
    retryMaxMilliseconds: config.outboxRetryMaxMilliseconds,
  });
}
