import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * One OIDC login in flight (LTI 1.3 §5.1.1, Security Framework §5.1.1.2): the `state` Rounds sent to the platform
 * and the `nonce` bound to it. The launch consumes it with one atomic findOneAndDelete, so an id_token is accepted
 * once, only with the nonce issued for its state, and only before `expiresAt`. The sweeper deletes expired ones
 * (the database stand-in runs no TTL index); the TTL index serves real MongoDB.
 */
const loginStateSchema = new mongoose.Schema(
  {
    state: { type: String, required: true },
    nonce: { type: String, required: true },
    issuer: { type: String, required: true },
    clientId: { type: String, required: true },
    /** The redirect_uri Rounds asked the platform to post the id_token to. */
    redirectUri: { type: String, required: true },
    /** Set when the platform offered LTI platform storage (`lti_storage_target`): the frame to postMessage. */
    storageTarget: { type: String },
    /**
     * SHA-256 of the secret kept in the platform's storage instead of a cookie, once the login fell back to it
     * (cookies blocked in the LMS's iframe). The launch must bring the secret back from the same storage.
     */
    storageSecretHash: { type: String },
    /** The initiation's target_link_uri, to start the same login again in a new window (cookies blocked). */
    targetLinkUri: { type: String, required: true },
    /**
     * The OIDC authentication request's URL, kept for the step after the cookie check. It also carries the
     * initiation's login_hint, lti_message_hint and lti_deployment_id for a new window, so they are stored once.
     */
    authRequestUrl: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'ltiloginstates', versionKey: false },
);
loginStateSchema.index({ state: 1 }, { unique: true });
loginStateSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type LoginState = InferSchemaType<typeof loginStateSchema> & { _id: mongoose.Types.ObjectId };
export const LoginStateModel = mongoose.model('LoginState', loginStateSchema);
