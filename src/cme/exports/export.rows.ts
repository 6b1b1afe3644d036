import mongoose, { type FilterQuery } from 'mongoose';
import { CmeProfileModel, CmeProfileRevisionModel, LedgerEntryModel, type LedgerEntry } from '../core';
import type { LedgerRow, ReportingProfile } from './export.types';

// Reading an export's ledger entries and what their rows need, a batch at a time, in bounded memory. Sized for
// the database stand-in (design14 "Facts measured"): a lean cursor in ledger order, profiles looked up a batch at
// a time by `userId` (its single-field unique index answers `$in`), revocations up front (activity versions:
// export.activities.ts).

/** Entries read per batch: the cursor's batch size, and how often progress and receipts are written. */
export const batchSize = 1000;

/**
 * The ledger entries of `query` in the export order, completion date then certificate number (unique: a total
 * order, so the same query gives the same rows in the same order forever), in batches of up to 1000. The driver's
 * buffered documents are taken a batch at a time: no await per row.
 */
export async function* ledgerBatches(
  query: FilterQuery<LedgerEntry>,
  fields: readonly string[] | undefined,
  signal?: AbortSignal,
): AsyncGenerator<LedgerRow[]> {
  const projection = fields ? Object.fromEntries(fields.map((field) => [field, 1])) : undefined;
  // Mongoose's query shape is the driver's (ObjectIds and Dates already cast in ledgerQueryOf).
  const filter = query as mongoose.mongo.Filter<mongoose.mongo.Document>;
  const cursor = LedgerEntryModel.collection.find<LedgerRow>(filter, {
    sort: { completionDate: 1, number: 1 },
    batchSize,
    projection,
  });
  // The next batch is fetched while this one is turned into rows and written (two batches in memory at most).
  let more = cursor.hasNext();
  try {
    while (await more) {
      signal?.throwIfAborted();
      const batch = cursor.readBufferedDocuments(batchSize);
      more = cursor.hasNext();
      yield batch;
    }
  } finally {
    await more.catch(() => false);
    await cursor.close();
  }
}

/**
 * The tenant's revocations recorded by `asOf`: revoked entry id → the revocation's number. One query up front;
 * memory proportional to the tenant's revocations (few next to claims).
 */
export async function revocationsAsOf(tenantId: string, asOf: Date): Promise<Map<string, string>> {
  const revocations = await LedgerEntryModel.collection
    .find<{ revokesEntryId?: mongoose.Types.ObjectId; number: string }>(
      {
        tenantId: new mongoose.Types.ObjectId(tenantId),
        kind: 'revocation',
        recordedAt: { $lte: asOf },
      },
      { projection: { revokesEntryId: 1, number: 1 } },
    )
    .toArray();
  const revokedBy = new Map<string, string>();
  for (const revocation of revocations) {
    if (revocation.revokesEntryId) revokedBy.set(revocation.revokesEntryId.toHexString(), revocation.number);
  }
  return revokedBy;
}

/** The certificate numbers of entries by id (the claims CSV names revoked and reissued entries by number). */
export async function entryNumbers(
  tenantId: string,
  ids: mongoose.Types.ObjectId[],
): Promise<Map<string, string>> {
  const numbers = new Map<string, string>();
  const tenant = new mongoose.Types.ObjectId(tenantId);
  for (let start = 0; start < ids.length; start += batchSize) {
    const entries = await LedgerEntryModel.collection
      .find<{ _id: mongoose.Types.ObjectId; tenantId: mongoose.Types.ObjectId; number: string }>(
        { _id: { $in: ids.slice(start, start + batchSize) } },
        { projection: { tenantId: 1, number: 1 } },
      )
      .toArray();
    for (const entry of entries) {
      if (entry.tenantId.equals(tenant)) numbers.set(entry._id.toHexString(), entry.number);
    }
  }
  return numbers;
}

interface StoredConsent {
  given?: boolean;
}
interface StoredProfileState {
  tenantId: mongoose.Types.ObjectId;
  firstName?: string;
  lastName?: string;
  npi?: string;
  licenseNumber?: string;
  licenseState?: string;
  certifyingBoard?: string;
  boardId?: string;
  birthMonthDay?: string;
  nabpEprofileId?: string;
  consents?: { pars?: StoredConsent; cpeMonitor?: StoredConsent; ceBroker?: StoredConsent };
}
interface StoredProfile extends StoredProfileState {
  userId: mongoose.Types.ObjectId;
  revision?: number;
  revisedAt?: Date;
  updatedAt?: Date;
  savedAt?: Date;
}

const profileFields = {
  tenantId: 1,
  userId: 1,
  firstName: 1,
  lastName: 1,
  npi: 1,
  licenseNumber: 1,
  licenseState: 1,
  certifyingBoard: 1,
  boardId: 1,
  birthMonthDay: 1,
  nabpEprofileId: 1,
  consents: 1,
  revision: 1,
  revisedAt: 1,
  updatedAt: 1,
  savedAt: 1,
};

/** A stored state, compacted to what exports read (so the cache holds small objects). */
function reportingProfileOf(state: StoredProfileState): ReportingProfile {
  return {
    firstName: state.firstName ?? '',
    lastName: state.lastName ?? '',
    npi: state.npi ?? '',
    licenseNumber: state.licenseNumber ?? '',
    licenseState: state.licenseState ?? '',
    certifyingBoard: state.certifyingBoard ?? '',
    boardId: state.boardId ?? '',
    birthMonthDay: state.birthMonthDay ?? '',
    nabpEprofileId: state.nabpEprofileId ?? '',
    consents: {
      pars: state.consents?.pars?.given === true,
      cpeMonitor: state.consents?.cpeMonitor?.given === true,
      ceBroker: state.consents?.ceBroker?.given === true,
    },
  };
}

/** Learners kept in the profile cache: beyond it the least recently used are dropped (memory stays flat). */
const profileCacheSize = 50_000;

/**
 * Each learner's reporting profile as it stood at `asOf` (design14): the current profile when it was last saved
 * at or before asOf; else the latest revision saved at or before asOf; else none (not consented). Looked up a
 * batch at a time (`prepare`), then read synchronously per row (`get`).
 */
export class ProfilesAsOf {
  private readonly cache = new Map<string, ReportingProfile | null>();
  private readonly tenant: mongoose.Types.ObjectId;

  constructor(
    tenantId: string,
    private readonly asOf: Date,
  ) {
    this.tenant = new mongoose.Types.ObjectId(tenantId);
  }

  /** Looks up the learners of `rows` not cached yet: one `$in` query, and a revision walk for the few edited since. */
  async prepare(rows: readonly LedgerRow[]): Promise<void> {
    const missing = new Map<string, mongoose.Types.ObjectId>();
    for (const row of rows) {
      const id = row.userId.toHexString();
      const cached = this.cache.get(id);
      if (cached === undefined) {
        missing.set(id, row.userId);
      } else {
        // Most recently used last (Map keeps insertion order): this batch's learners are never the ones dropped.
        this.cache.delete(id);
        this.cache.set(id, cached);
      }
    }
    if (!missing.size) return;
    const found = await CmeProfileModel.collection
      .find<StoredProfile>({ userId: { $in: [...missing.values()] } }, { projection: profileFields })
      .toArray();
    const resolved = new Map<string, ReportingProfile | null>();
    const edited: StoredProfile[] = [];
    for (const profile of found) {
      if (!profile.tenantId.equals(this.tenant)) continue;
      const savedAt = profile.revisedAt ?? profile.updatedAt;
      if (!savedAt || savedAt <= this.asOf)
        resolved.set(profile.userId.toHexString(), reportingProfileOf(profile));
      else edited.push(profile);
    }
    await Promise.all(
      edited.map(async (profile) => {
        resolved.set(profile.userId.toHexString(), await this.revisionAsOf(profile));
      }),
    );
    for (const id of missing.keys()) this.remember(id, resolved.get(id) ?? null);
  }

  /** The profile of a learner whose batch was prepared (null: none at asOf). */
  get(userId: mongoose.Types.ObjectId): ReportingProfile | null {
    return this.cache.get(userId.toHexString()) ?? null;
  }

  private remember(id: string, profile: ReportingProfile | null): void {
    this.cache.set(id, profile);
    if (this.cache.size > profileCacheSize) this.cache.delete(this.cache.keys().next().value!);
  }

  /**
   * The latest revision saved at or before asOf, walking back from the current one by the full unique key
   * {userId, revision} (the stand-in answers that from its index; a range on it would scan). Profiles edited
   * after an export are few, and each walk stops at the first revision old enough.
   */
  private async revisionAsOf(profile: StoredProfile): Promise<ReportingProfile | null> {
    for (let revision = (profile.revision ?? 0) - 1; revision >= 1; revision -= 1) {
      const state = await CmeProfileRevisionModel.collection.findOne<StoredProfile>(
        { userId: profile.userId, revision },
        { projection: profileFields },
      );
      if (!state || !state.tenantId.equals(this.tenant)) continue;
      if (state.savedAt && state.savedAt <= this.asOf) return reportingProfileOf(state);
    }
    return null;
  }
}
