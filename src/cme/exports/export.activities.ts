import mongoose from 'mongoose';
import { CmeActivityModel } from '../core';
import type { ActivityFacts, LedgerRow } from './export.types';

// The activity versions an export's rows name, with their reporting identifiers as of the export's instant.

interface StoredActivity {
  _id: mongoose.Types.ObjectId;
  tenantId: mongoose.Types.ObjectId;
  key?: string;
  version?: number;
  title?: string;
  accmeActivityId?: string;
  designations?: Array<{ creditType?: string; uan?: string }>;
  ceBrokerProviderNumber?: string;
  ceBrokerCourseNumber?: string;
}

const activityFields = {
  tenantId: 1,
  key: 1,
  version: 1,
  title: 1,
  accmeActivityId: 1,
  designations: 1,
  ceBrokerProviderNumber: 1,
  ceBrokerCourseNumber: 1,
};

function factsOf(activity: StoredActivity): ActivityFacts {
  return {
    title: activity.title ?? '',
    accmeActivityId: activity.accmeActivityId ?? '',
    uan: activity.designations?.find((designation) => designation.creditType === 'acpe')?.uan ?? '',
    ceBrokerProviderNumber: activity.ceBrokerProviderNumber ?? '',
    ceBrokerCourseNumber: activity.ceBrokerCourseNumber ?? '',
  };
}

const identifiers = ['accmeActivityId', 'uan', 'ceBrokerProviderNumber', 'ceBrokerCourseNumber'] as const;

/**
 * Activity versions by id as of an instant, cached for the whole export (a tenant has few). A reporting
 * identifier (ACCME activity ID, UAN, CE Broker provider and course number) missing on the entry's own version is
 * taken from the latest version of the same activity key published at or before `asOf`: a published version
 * cannot be edited, so publishing a new version with the identifier is how a coordinator fixes earlier claims;
 * reading it as of the instant keeps the file reproducible. The title stays the entry's own version's.
 */
export class ActivityVersions {
  private readonly cache = new Map<string, ActivityFacts | null>();
  /** Key → the latest version published by asOf (null: none), looked up only for versions lacking an identifier. */
  private readonly latest = new Map<string, ActivityFacts | null>();
  private readonly tenant: mongoose.Types.ObjectId;

  constructor(
    tenantId: string,
    private readonly asOf: Date,
  ) {
    this.tenant = new mongoose.Types.ObjectId(tenantId);
  }

  /** Looks up the activity versions of `rows` not cached yet: one query by `_id`, one by key for the incomplete. */
  async prepare(rows: readonly LedgerRow[]): Promise<void> {
    const missing = new Map<string, mongoose.Types.ObjectId>();
    for (const row of rows) {
      const id = row.activityId.toHexString();
      if (!this.cache.has(id)) missing.set(id, row.activityId);
    }
    if (!missing.size) return;
    const found = await CmeActivityModel.collection
      .find<StoredActivity>({ _id: { $in: [...missing.values()] } }, { projection: activityFields })
      .toArray();
    const own = found.filter((activity) => activity.tenantId.equals(this.tenant));
    const incomplete = own.filter((activity) => identifiers.some((field) => !factsOf(activity)[field]));
    await this.prepareLatest(incomplete.map((activity) => activity.key ?? ''));
    for (const id of missing.keys()) this.cache.set(id, null);
    for (const activity of own) {
      const facts = factsOf(activity);
      const latest = this.latest.get(activity.key ?? '');
      if (latest) {
        for (const field of identifiers) facts[field] ||= latest[field];
      }
      this.cache.set(activity._id.toHexString(), facts);
    }
  }

  /** The activity version of a prepared row (null: not this tenant's, or gone). */
  get(activityId: mongoose.Types.ObjectId): ActivityFacts | null {
    return this.cache.get(activityId.toHexString()) ?? null;
  }

  /** The latest version published by asOf of each key not looked up yet (one query; rare: versions lacking IDs). */
  private async prepareLatest(keys: string[]): Promise<void> {
    const wanted = [...new Set(keys)].filter((key) => key && !this.latest.has(key));
    if (!wanted.length) return;
    const versions = await CmeActivityModel.collection
      .find<StoredActivity>(
        { tenantId: this.tenant, key: { $in: wanted }, publishedAt: { $lte: this.asOf } },
        { projection: activityFields },
      )
      .toArray();
    const newest = new Map<string, StoredActivity>();
    for (const version of versions) {
      const key = version.key ?? '';
      const current = newest.get(key);
      if (!current || (version.version ?? 0) > (current.version ?? 0)) newest.set(key, version);
    }
    for (const key of wanted) {
      const version = newest.get(key);
      this.latest.set(key, version ? factsOf(version) : null);
    }
  }
}
