import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * Rounds' own record of a registered LMS, beside ltijs' copy: which deployments may launch, whether an admin has
 * activated it, and the origins allowed to frame Rounds (CSP frame-ancestors).
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
  },
  { timestamps: true },
);
platformSchema.index({ issuer: 1, clientId: 1 }, { unique: true });

export type Platform = InferSchemaType<typeof platformSchema> & { _id: mongoose.Types.ObjectId };
// ltijs owns the `platforms` collection in the same database; ours must not share it.
export const PlatformModel = mongoose.model('Platform', platformSchema, 'lmsplatforms');
