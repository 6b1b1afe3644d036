import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type { Actor } from '../../shared/auth/actor';
import { sha256Hex } from '../../shared/crypto/digest';

/** How long the "continue in a new window" button stays good after a launch in a frame without cookies. */
export const handoffLifetimeMs = 2 * 60_000;

/**
 * A launch verified through platform storage, in an LMS frame that keeps no cookie, waiting to become a session
 * in a window of its own. Only a hash of the one-time code is stored; the code travels in a POST body, never a URL.
 */
const handoffSchema = new mongoose.Schema(
  {
    codeHash: { type: String, required: true },
    actor: { type: mongoose.Schema.Types.Mixed, required: true },
    /** The full name the LMS gave ("Nora Okafor, RN"): the new window asks "Continue as …?" with it. */
    fullName: { type: String, default: '' },
    /** The e-mail the launch carried, shown beside the name so a look-alike name does not pass. */
    email: { type: String, default: '' },
    /** The LMS as the operator registered it (never the launch's own tool_platform name, which its user sets). */
    lmsName: { type: String, default: '' },
    landing: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'ltisessionhandoffs', versionKey: false },
);
handoffSchema.index({ codeHash: 1 }, { unique: true });
handoffSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
export const SessionHandoffModel = mongoose.model('SessionHandoff', handoffSchema);

/** Who a handoff signs in, as the new window shows it before anyone is signed in. */
export interface HandoffIdentity {
  fullName: string;
  email: string;
  lmsName: string;
}

/**
 * Stores who launched (with the full name their LMS gave, since the session's name is the given name only, their
 * e-mail and the operator's name for their LMS) and where they were going; returns the one-time code for the new
 * window's form.
 */
export async function createHandoff(
  actor: Actor,
  landing: string,
  identity: HandoffIdentity,
  now = new Date(),
): Promise<string> {
  const code = randomBytes(32).toString('base64url');
  await SessionHandoffModel.create({
    codeHash: sha256Hex(code),
    actor,
    ...identity,
    landing,
    expiresAt: new Date(now.getTime() + handoffLifetimeMs),
  });
  return code;
}

/**
 * The handoff a code names, without using it up: the new window shows who it will sign in ("Continue as …?")
 * before the confirming POST redeems it. Undefined when it is unknown, used or expired.
 */
export async function findHandoff(
  code: unknown,
  now = new Date(),
): Promise<({ actor: Actor } & HandoffIdentity) | undefined> {
  if (typeof code !== 'string' || code.length > 100) return undefined;
  const handoff = await SessionHandoffModel.findOne({
    codeHash: sha256Hex(code),
    expiresAt: { $gt: now },
  }).lean();
  if (!handoff) return undefined;
  const { fullName, email, lmsName } = handoff;
  return {
    actor: handoff.actor as Actor,
    fullName: fullName ?? '',
    email: email ?? '',
    lmsName: lmsName ?? '',
  };
}

/** Uses up a handoff code (atomically, once); undefined when it is unknown, used or expired. */
export async function redeemHandoff(
  code: unknown,
  now = new Date(),
): Promise<{ actor: Actor; landing: string } | undefined> {
  if (typeof code !== 'string' || code.length > 100) return undefined;
  const handoff = await SessionHandoffModel.findOneAndDelete({
    codeHash: sha256Hex(code),
    expiresAt: { $gt: now },
  }).lean();
  return handoff ? { actor: handoff.actor as Actor, landing: handoff.landing } : undefined;
}
