import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * A deep-linking request waiting for the instructor's choice: the platform's settings (Deep Linking 2.0 §4.4.1)
 * from the id_token, kept between the launch and the picker's answer, bound to who launched it. Single use
 * (`usedAt`), short-lived (`expiresAt`; swept in code, since the database stand-in runs no TTL index).
 */
const deepLinkRequestSchema = new mongoose.Schema({
  tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
  userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
  courseId: { type: mongoose.Schema.Types.ObjectId, ref: 'Course', required: true },
  issuer: { type: String, required: true },
  clientId: { type: String, required: true },
  deploymentId: { type: String, required: true },
  returnUrl: { type: String, required: true },
  /** Opaque `data` the response must echo unchanged (§4.4.1). */
  data: { type: String },
  acceptTypes: { type: [String], default: [] },
  acceptMultiple: { type: Boolean, default: false },
  acceptLineItem: { type: Boolean, default: true },
  /** The platform's suggested title for what is being added, if any. */
  title: { type: String, default: '' },
  createdAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
  usedAt: { type: Date },
});
deepLinkRequestSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type DeepLinkRequest = InferSchemaType<typeof deepLinkRequestSchema> & {
  _id: mongoose.Types.ObjectId;
};
export const DeepLinkRequestModel = mongoose.model('DeepLinkRequest', deepLinkRequestSchema);
