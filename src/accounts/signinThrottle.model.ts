import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * Failed sign-ins per e-mail address, kept for ANY address typed, known or not, so a lockout cannot tell which
 * accounts exist. `key` is an HMAC of the lowercased address under a server key (accounts.keys.ts; no address in
 * clear); `failures` holds the instants of the latest attempts counted against it (each attempt is reserved
 * there before its password or code is checked, and taken back when it succeeds); `lockedUntil` refuses every
 * attempt until then.
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
