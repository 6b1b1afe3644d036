import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * Failed sign-ins per e-mail address, kept for ANY address typed, known or not, so a lockout cannot tell which
 * accounts exist. `key` is a SHA-256 of the lowercased address (no address in clear); `failures` holds the
 * instants of the failures still inside the counting window; `lockedUntil` refuses every attempt until then.
 */
const signinThrottleSchema = new mongoose.Schema({
  key: { type: String, required: true },
  failures: { type: [{ type: Date }], default: [] },
  lockedUntil: { type: Date },
  updatedAt: { type: Date, required: true },
});
signinThrottleSchema.index({ key: 1 }, { unique: true });

export type SignInThrottle = InferSchemaType<typeof signinThrottleSchema> & { _id: mongoose.Types.ObjectId };
export const SignInThrottleModel = mongoose.model('SignInThrottle', signinThrottleSchema);
