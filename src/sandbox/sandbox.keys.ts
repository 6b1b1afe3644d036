import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import {
  SignJWT,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type KeyLike,
} from 'jose';
import { SandboxKey } from './sandbox.model';

/** The platform's RS256 key, loaded once per process. */
export interface SandboxSigningKey {
  kid: string;
  publicJwk: JWK;
  /** Signs a JWT as the platform; `kid` replaces the header's kid (tests forge unknown kids with it). */
  sign(claims: Record<string, unknown>, options?: { kid?: string }): Promise<string>;
  /** Keyed MAC for opaque values the platform hands out and must recognise later (deep-linking `data`). */
  mac(value: string): string;
  verifyMac(value: string, mac: string): boolean;
}

// One key for every sandbox on the database: the sandbox is a dev/test fixture, and generating a 2048-bit
// key on each start (or each test file) is the slow part of createSandbox.
const signingKeyId = 'signing';

/** Loads the stored signing key, creating it the first time; restarts keep the same kid. */
export async function loadSigningKey(): Promise<SandboxSigningKey> {
  let stored = await SandboxKey.findById(signingKeyId).lean();
  if (!stored) {
    const { privateKey, publicKey } = await generateKeyPair('RS256', {
      extractable: true,
      modulusLength: 2048,
    });
    const publicJwk = { ...(await exportJWK(publicKey)), alg: 'RS256', use: 'sig' };
    const kid = await calculateJwkThumbprint(publicJwk);
    // $setOnInsert: when two processes start at once, the first key written wins and both use it.
    stored = await SandboxKey.findOneAndUpdate(
      { _id: signingKeyId },
      {
        $setOnInsert: {
          kid,
          privateJwk: await exportJWK(privateKey),
          publicJwk: { ...publicJwk, kid },
          createdAt: new Date(),
        },
      },
      { upsert: true, new: true },
    ).lean();
  }
  const privateJwk = stored.privateJwk as JWK;
  const privateKey = (await importJWK(privateJwk, 'RS256')) as KeyLike;
  const macKey = createHash('sha256')
    .update(`rounds-sandbox-mac:${String(privateJwk.d)}`)
    .digest();
  const kid = stored.kid;
  const mac = (value: string): string => createHmac('sha256', macKey).update(value).digest('base64url');
  return {
    kid,
    publicJwk: stored.publicJwk as JWK,
    sign: (claims, options) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options?.kid ?? kid })
        .sign(privateKey),
    mac,
    verifyMac: (value, expected) => {
      const actual = Buffer.from(mac(value));
      const given = Buffer.from(expected);
      return actual.length === given.length && timingSafeEqual(actual, given);
    },
  };
}
