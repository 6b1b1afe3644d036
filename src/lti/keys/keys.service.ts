import { randomUUID } from 'node:crypto';
import {
  SignJWT,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  type KeyLike,
} from 'jose';
import { loadConfig } from '../../config';
import { ConflictError } from '../../shared/errors';
import { deriveSealingKey, seal, unseal } from './keys.crypto';
import { ToolKeyModel, type ToolKey } from './keys.model';

/** How the tool's keys are kept: the secret that seals them and how long a replaced key stays published. */
export interface ToolKeySettings {
  /** LTI_ENCRYPTION_KEY. */
  encryptionKey: string;
  /** Hours a replaced key stays in /lti/keys, so platforms that cached the keyset still verify its tokens. */
  retirementHours: number;
}

const defaultRetirementHours = 24;
/** A process re-reads which key is active this often, so a rotation by `npx rounds keys rotate` is picked up. */
const activeKeyCacheMs = 60_000;
const defaultJwtLifetimeSeconds = 300;

let settings: ToolKeySettings | undefined;
let sealingKey: { secret: string; key: Buffer } | undefined;
let activeKey: { kid: string; privateKey: KeyLike; loadedAt: number } | undefined;
let activeKeyLoading: Promise<{ kid: string; privateKey: KeyLike }> | undefined;

/** Sets the secret and retirement period (startRounds and the CLI call this at boot). */
export function configureToolKeys(next: ToolKeySettings): void {
  settings = { ...next };
  forgetActiveToolKey();
}

/** Without configureToolKeys (a script, a test of another feature), the secret comes from the config files. */
function currentSettings(): ToolKeySettings {
  settings ??= { encryptionKey: loadConfig().ltiEncryptionKey, retirementHours: defaultRetirementHours };
  return settings;
}

function currentSealingKey(): Buffer {
  const { encryptionKey } = currentSettings();
  if (sealingKey?.secret !== encryptionKey) {
    sealingKey = { secret: encryptionKey, key: deriveSealingKey(encryptionKey) };
  }
  return sealingKey.key;
}

/** Drops this process's cached active key, so the next signature reads the database again. */
function forgetActiveToolKey(): void {
  activeKey = undefined;
  activeKeyLoading = undefined;
}

/** A new RS256 key pair as a record to store: kid is the RFC 7638 thumbprint, the private JWK sealed under kid. */
async function generateToolKey(generation: number, now: Date) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', {
    modulusLength: 2048,
    extractable: true,
  });
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported);
  const publicJwk: JWK = { ...exported, kid, alg: 'RS256', use: 'sig' };
  const privateJwk = JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'RS256' });
  return {
    kid,
    generation,
    publicJwk,
    encryptedPrivateKey: seal(currentSealingKey(), privateJwk, kid),
    activatedAt: now,
  };
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 11000;
}

/** The newest key: the one Rounds signs with. */
async function newestKey(): Promise<ToolKey | undefined> {
  return ((await ToolKeyModel.findOne().sort({ generation: -1 }).lean()) as ToolKey | null) ?? undefined;
}

/**
 * The newest key, creating the first one if none exists. Two processes booting at once both try generation 1;
 * the unique index keeps one, and the other reads it.
 */
async function ensureNewestKey(now: Date): Promise<ToolKey> {
  const existing = await newestKey();
  if (existing) return existing;
  try {
    await ToolKeyModel.create(await generateToolKey(1, now));
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  return (await newestKey())!;
}

/** Makes sure the tool has a signing key, creating the first one if none exists (at boot). */
export async function ensureToolKey(now = new Date()): Promise<ToolKeySummary> {
  return summarize(await ensureNewestKey(now), now);
}

async function loadActiveKey(): Promise<{ kid: string; privateKey: KeyLike }> {
  const key = await ensureNewestKey(new Date());
  if (!key.encryptedPrivateKey) throw new Error(`tool key ${key.kid} has no private key`);
  let privateJwk: JWK;
  try {
    privateJwk = JSON.parse(unseal(currentSealingKey(), key.encryptedPrivateKey, key.kid)) as JWK;
  } catch {
    // GCM authentication failed: the stored keys were sealed under another secret.
    throw new Error(
      'The tool signing key cannot be decrypted: LTI_ENCRYPTION_KEY differs from the one it was stored with.',
    );
  }
  return { kid: key.kid, privateKey: (await importJWK(privateJwk, 'RS256')) as KeyLike };
}

async function activeSigningKey(): Promise<{ kid: string; privateKey: KeyLike }> {
  if (activeKey && Date.now() - activeKey.loadedAt < activeKeyCacheMs) return activeKey;
  activeKeyLoading ??= loadActiveKey()
    .then((loaded) => {
      activeKey = { ...loaded, loadedAt: Date.now() };
      return loaded;
    })
    .finally(() => {
      activeKeyLoading = undefined;
    });
  return activeKeyLoading;
}

/**
 * Signs a JWT as the tool (RS256, the active key, its kid in the header): client assertions for the platform's
 * token endpoint (1EdTech Security Framework §4.1.1) and deep-linking responses (Deep Linking 2.0 §4.2).
 * Sets `iat` to now, `exp` to now + `expiresInSeconds` (default 300) and `aud`; adds a random `jti` unless the
 * claims carry one. `iss`, `sub` and any other claims come from the caller.
 */
export async function signToolJwt(
  claims: JWTPayload,
  options: { audience: string | string[]; expiresInSeconds?: number },
): Promise<string> {
  const { kid, privateKey } = await activeSigningKey();
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({ jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.expiresInSeconds ?? defaultJwtLifetimeSeconds))
    .setAudience(options.audience)
    .sign(privateKey);
}

export type ToolKeyStatus = 'active' | 'retiring' | 'retired';

/** A key as `npx rounds keys list` shows it: never its private half. */
export interface ToolKeySummary {
  kid: string;
  generation: number;
  status: ToolKeyStatus;
  activatedAt: Date;
  retiresAt?: Date;
}

function statusOf(key: ToolKey, newestGeneration: number, now: Date): ToolKeyStatus {
  if (key.generation === newestGeneration) return 'active';
  return key.retiresAt && key.retiresAt.getTime() > now.getTime() ? 'retiring' : 'retired';
}

function summarize(key: ToolKey, now: Date, newestGeneration = key.generation): ToolKeySummary {
  return {
    kid: key.kid,
    generation: key.generation,
    status: statusOf(key, newestGeneration, now),
    activatedAt: key.activatedAt,
    ...(key.retiresAt ? { retiresAt: key.retiresAt } : {}),
  };
}

/** Every key, newest first, with its status at `now`. */
export async function listToolKeys(now = new Date()): Promise<ToolKeySummary[]> {
  const keys = (await ToolKeyModel.find().sort({ generation: -1 }).lean()) as ToolKey[];
  const newest = keys[0]?.generation ?? 0;
  return keys.map((key) => summarize(key, now, newest));
}

/** The public keys platforms may verify Rounds' tokens with at `now`: the active key and those still retiring. */
export async function publishedToolJwks(now = new Date()): Promise<{ keys: JWK[] }> {
  let keys = (await ToolKeyModel.find().sort({ generation: -1 }).lean()) as ToolKey[];
  // Only an empty collection needs the first key made; every other request is this one read.
  if (keys.length === 0) keys = [await ensureNewestKey(now)];
  const newest = keys[0]!.generation;
  return {
    keys: keys
      .filter((key) => statusOf(key, newest, now) !== 'retired')
      .map((key) => {
        // Only public members, whatever was stored.
        const { kty, n, e, alg, use, kid } = key.publicJwk as JWK;
        return { kty, n, e, alg, use, kid };
      }),
  };
}

/**
 * Rotates the signing key: a new key becomes active at once, the previous one keeps being published for the
 * retirement period (platforms cache keysets) and is never used to sign again. Keys whose retirement has
 * passed lose their private half. A concurrent rotation loses on the unique generation and is refused.
 */
export async function rotateToolKeys(
  now = new Date(),
): Promise<{ active: ToolKeySummary; retiring: ToolKeySummary[] }> {
  const previous = await newestKey();
  const generation = (previous?.generation ?? 0) + 1;
  try {
    await ToolKeyModel.create(await generateToolKey(generation, now));
  } catch (error) {
    if (isDuplicateKey(error))
      throw new ConflictError('Another key rotation ran at the same time; try again.');
    throw error;
  }
  const retiresAt = new Date(now.getTime() + currentSettings().retirementHours * 3600_000);
  await ToolKeyModel.updateMany(
    { generation: { $lt: generation }, retiresAt: { $exists: false } },
    { $set: { retiresAt } },
  );
  await ToolKeyModel.updateMany(
    { generation: { $lt: generation }, retiresAt: { $lte: now } },
    { $unset: { encryptedPrivateKey: 1 } },
  );
  forgetActiveToolKey();
  const keys = await listToolKeys(now);
  return { active: keys[0]!, retiring: keys.filter((key) => key.status === 'retiring') };
}
