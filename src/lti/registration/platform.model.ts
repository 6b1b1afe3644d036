import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * A registered LMS: which deployments may launch, whether an operator has activated it, and the origins allowed
 * to frame Rounds (CSP frame-ancestors).
 */
const platformSchema = new mongoose.Schema(
  {
    issuer: { type: String, required: true },
    clientId: { type: String, required: true },
    name: { type: String, required: true },
    deploymentIds: { type: [String], default: [] },
    authUrl: { type: String, required: true },
    tokenUrl: { type: String, required: true },
    jwksUrl: { type: String, required: true },
    active: { type: Boolean, default: true },
    // Where the LMS's pages live when that is not the issuer's origin (Canvas: the school's own domain), learned
    // from signed launches; they may frame Rounds too.
    webOrigins: { type: [String], default: [] },
    /** How it was registered: by an operator (CLI) or by an LMS through Dynamic Registration, unauthenticated. */
    registeredBy: { type: String, enum: ['operator', 'dynamic-registration'], default: 'operator' },
    /**
     * Bumped by every roster sync of this platform's courses (in any process): launches remember what they wrote
     * per person only for the generation they read with the platform.
     */
    rosterGeneration: { type: Number, default: 0 },
    /** When an operator first activated it; a Dynamic Registration never approved is removed after a week. */
    approvedAt: { type: Date },
  },
  { timestamps: true },
);
platformSchema.index({ issuer: 1, clientId: 1 }, { unique: true });

export type Platform = InferSchemaType<typeof platformSchema> & { _id: mongoose.Types.ObjectId };
platformSchema.index({ registeredBy: 1, approvedAt: 1, createdAt: 1 });

// `lmsplatforms`, not `platforms`: databases from the ltijs days still hold ltijs' own `platforms` collection.
export const PlatformModel = mongoose.model('Platform', platformSchema, 'lmsplatforms');

/**
 * New endpoints an LMS sent through Dynamic Registration for a platform that is already registered (Moodle's
 * "update the existing tool"). A registration never changes a platform: an operator compares the proposal with
 * the current values and approves or rejects it. One proposal per platform; a newer one replaces it.
 */
const platformChangeSchema = new mongoose.Schema(
  {
    issuer: { type: String, required: true },
    clientId: { type: String, required: true },
    authUrl: { type: String, required: true },
    tokenUrl: { type: String, required: true },
    jwksUrl: { type: String, required: true },
    deploymentIds: { type: [String], default: [] },
    proposedAt: { type: Date, required: true },
  },
  { collection: 'lmsplatformchanges', versionKey: false },
);
platformChangeSchema.index({ issuer: 1, clientId: 1 }, { unique: true });

export type PlatformChange = InferSchemaType<typeof platformChangeSchema> & { _id: mongoose.Types.ObjectId };
export const PlatformChangeModel = mongoose.model('PlatformChange', platformChangeSchema);
