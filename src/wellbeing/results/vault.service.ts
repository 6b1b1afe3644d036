import mongoose from 'mongoose';
import type { Config } from '../../config';
import {
  dataKeyAad,
  deriveKeyEncryptionKey,
  newDataKey,
  newRecordId,
  open,
  recordKey,
  resultAad,
  seal,
  type Sealed,
} from './vault.crypto';
import { wellbeingKeys } from './keyStore';
import type { InstrumentId } from '../instruments';

/** The vault's one secret, derived once from config when a router is built. */
export interface Vault {
  keyEncryptionKey: Buffer;
}

/** The vault for this configuration (config.wellbeingKey, required in production, fixed in tests). */
export function vaultFor(config: Pick<Config, 'wellbeingKey'>): Vault {
  if (!config.wellbeingKey) throw new Error('WELLBEING_KEY is not set: self-check results cannot be sealed');
  return { keyEncryptionKey: deriveKeyEncryptionKey(config.wellbeingKey) };
}

/** Everything a result holds; sealed as one JSON document, never stored or logged in clear. */
export interface ResultPayload {
  v: 1;
  instrument: InstrumentId;
  /** Item id → the points of the chosen answer (before any reversal). */
  answers: Record<string, number>;
  total: number;
  band: string;
  positive: boolean;
  burnout?: boolean;
  takenAt: string;
  /** yyyy-MM in the tenant's zone when taken: the tally month, kept so deletion finds the same tallies. */
  month: string;
}

/** Whose record: a learner within a tenant (strings of ObjectIds, as on the Actor). */
export interface Owner {
  tenantId: string;
  userId: string;
}

function ownerFilter(owner: Owner) {
  return {
    tenantId: new mongoose.Types.ObjectId(owner.tenantId),
    userId: new mongoose.Types.ObjectId(owner.userId),
  };
}

/** The learner's data key, opened; null when they have none (never took a check, or deleted their data). */
export async function findDataKey(vault: Vault, owner: Owner): Promise<Buffer | null> {
  const record = await wellbeingKeys().findOne(ownerFilter(owner)).lean();
  if (!record) return null;
  return open(vault.keyEncryptionKey, record.sealedKey as Sealed, dataKeyAad(owner.tenantId, owner.userId));
}

/** The learner's data key, made and stored (sealed) on their first result. Two first results race to one key. */
export async function dataKeyFor(vault: Vault, owner: Owner): Promise<Buffer> {
  const existing = await findDataKey(vault, owner);
  if (existing) return existing;
  const key = newDataKey();
  const sealedKey = seal(vault.keyEncryptionKey, key, dataKeyAad(owner.tenantId, owner.userId));
  try {
    await wellbeingKeys().create({ _id: newRecordId(), ...ownerFilter(owner), sealedKey });
    return key;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 11000) throw error;
    return (await findDataKey(vault, owner))!;
  }
}

/** Destroys the learner's data key: every copy of their sealed records, backups too, is unreadable after this. */
export async function destroyDataKey(owner: Owner): Promise<void> {
  await wellbeingKeys().deleteOne(ownerFilter(owner));
}

/** Seals a result for its learner, bound to its record id. */
export function sealResult(dataKey: Buffer, owner: Owner, id: string, payload: ResultPayload): Sealed {
  const json = Buffer.from(JSON.stringify(payload), 'utf8');
  return seal(recordKey(dataKey), json, resultAad(owner.tenantId, owner.userId, id));
}

/** Opens a sealed result; null when it does not open with this learner's key (moved, changed or another key). */
export function openResult(dataKey: Buffer, owner: Owner, id: string, sealed: Sealed): ResultPayload | null {
  try {
    const json = open(recordKey(dataKey), sealed, resultAad(owner.tenantId, owner.userId, id));
    return JSON.parse(json.toString('utf8')) as ResultPayload;
  } catch {
    return null;
  }
}

export { ownerFilter };
