import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

// Every sandbox document except the signing key carries the platform's `issuer`, so two sandboxes on one
// database (a dev server and a test run, or parallel test files) never see each other's grades or tokens.
// TTL indexes expire tokens on real MongoDB; the stand-in ignores them, so expiry is also checked on read
// and swept in code (ARCHITECTURE: "never depends on TTL expiry").

const signingKeySchema = new Schema(
  {
    _id: { type: String, required: true },
    kid: { type: String, required: true },
    privateJwk: { type: Schema.Types.Mixed, required: true },
    publicJwk: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'sandboxkeys', versionKey: false },
);

const counterSchema = new Schema(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { collection: 'sandboxcounters', versionKey: false },
);

const accessTokenSchema = new Schema(
  {
    issuer: { type: String, required: true },
    /** SHA-256 of the bearer token: a database dump does not hand out working tokens. */
    tokenHash: { type: String, required: true, unique: true },
    scopes: { type: [String], required: true },
    expiresAt: { type: Date, required: true, index: { expireAfterSeconds: 0 } },
  },
  { collection: 'sandboxaccesstokens', versionKey: false },
);

const usedNonceSchema = new Schema(
  {
    issuer: { type: String, required: true },
    kind: { type: String, required: true, enum: ['client-assertion-jti', 'deep-linking-nonce'] },
    value: { type: String, required: true },
    expiresAt: { type: Date, required: true, index: { expireAfterSeconds: 0 } },
  },
  { collection: 'sandboxusednonces', versionKey: false },
);
usedNonceSchema.index({ issuer: 1, kind: 1, value: 1 }, { unique: true });

const resourceLinkSchema = new Schema(
  {
    issuer: { type: String, required: true },
    contextId: { type: String, required: true },
    resourceLinkId: { type: String, required: true },
    title: { type: String, required: true },
    text: { type: String, default: '' },
    /** The content item's `url`; absent means the tool's launch URL. */
    url: { type: String },
    custom: { type: Schema.Types.Mixed, default: {} },
    placedByUserId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'sandboxresourcelinks', versionKey: false },
);
resourceLinkSchema.index({ issuer: 1, resourceLinkId: 1 }, { unique: true });

const lineItemSchema = new Schema(
  {
    issuer: { type: String, required: true },
    contextId: { type: String, required: true },
    lineItemId: { type: Number, required: true },
    label: { type: String, required: true },
    scoreMaximum: { type: Number, required: true },
    resourceId: { type: String },
    tag: { type: String },
    resourceLinkId: { type: String },
    startDateTime: { type: String },
    endDateTime: { type: String },
    createdAt: { type: Date, required: true },
  },
  { collection: 'sandboxlineitems', versionKey: false },
);
lineItemSchema.index({ issuer: 1, lineItemId: 1 }, { unique: true });

const scoreSchema = new Schema(
  {
    issuer: { type: String, required: true },
    contextId: { type: String, required: true },
    lineItemId: { type: Number, required: true },
    userId: { type: String, required: true },
    scoreGiven: { type: Number },
    scoreMaximum: { type: Number },
    comment: { type: String },
    activityProgress: { type: String, required: true },
    gradingProgress: { type: String, required: true },
    /** The tool's own instant for the score (AGS `timestamp`), parsed. */
    timestamp: { type: Date, required: true },
    /** When the sandbox received it: every POST is kept, so duplicates show up in the gradebook. */
    receivedAt: { type: Date, required: true },
  },
  { collection: 'sandboxscores', versionKey: false },
);
scoreSchema.index({ issuer: 1, lineItemId: 1, userId: 1, receivedAt: 1 });

export type SandboxKeyDocument = InferSchemaType<typeof signingKeySchema>;
export type SandboxLineItemDocument = InferSchemaType<typeof lineItemSchema>;
export type SandboxScoreDocument = InferSchemaType<typeof scoreSchema>;
export type SandboxResourceLinkDocument = InferSchemaType<typeof resourceLinkSchema>;

function model<T extends Schema>(name: string, schema: T): Model<InferSchemaType<T>> {
  // Guarded so a second createSandbox (tests, hot reload) reuses the compiled model.
  const existing = mongoose.models[name] as Model<InferSchemaType<T>> | undefined;
  return existing ?? (mongoose.model(name, schema) as unknown as Model<InferSchemaType<T>>);
}

export const SandboxKey = model('SandboxKey', signingKeySchema);
export const SandboxCounter = model('SandboxCounter', counterSchema);
export const SandboxAccessToken = model('SandboxAccessToken', accessTokenSchema);
export const SandboxUsedNonce = model('SandboxUsedNonce', usedNonceSchema);
export const SandboxResourceLink = model('SandboxResourceLink', resourceLinkSchema);
export const SandboxLineItem = model('SandboxLineItem', lineItemSchema);
export const SandboxScore = model('SandboxScore', scoreSchema);

/** Builds the unique indexes before the first request relies on them (replay and id checks). */
export async function ensureSandboxIndexes(): Promise<void> {
  await Promise.all(
    [SandboxAccessToken, SandboxUsedNonce, SandboxResourceLink, SandboxLineItem, SandboxScore].map((m) =>
      m.init(),
    ),
  );
}

/** Next number of a per-sandbox sequence (line item ids, resource link ids), atomically. */
export async function nextSequenceValue(issuer: string, name: string): Promise<number> {
  const counter = await SandboxCounter.findOneAndUpdate(
    { _id: `${issuer}|${name}` },
    { $inc: { seq: 1 } },
    { upsert: true, new: true },
  ).lean();
  return counter.seq;
}

/**
 * Records a one-time value (assertion jti, deep-linking nonce); false when it was already used.
 * The unique index makes this atomic even with two requests racing.
 */
export async function recordOneTimeValue(
  issuer: string,
  kind: 'client-assertion-jti' | 'deep-linking-nonce',
  value: string,
  expiresAt: Date,
): Promise<boolean> {
  const now = new Date();
  await SandboxUsedNonce.deleteMany({ expiresAt: { $lt: now } });
  try {
    await SandboxUsedNonce.create({ issuer, kind, value, expiresAt });
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 11000) return false;
    throw error;
  }
}
