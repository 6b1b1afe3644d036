import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * One of the tool's RS256 signing keys. The private half is stored only encrypted (AES-256-GCM, see
 * keys.crypto.ts); the public half is what /lti/keys publishes. `generation` orders the keys and its unique
 * index makes two processes creating or rotating at once end with one winner, without transactions.
 */
const toolKeySchema = new mongoose.Schema(
  {
    kid: { type: String, required: true },
    generation: { type: Number, required: true },
    publicJwk: { type: mongoose.Schema.Types.Mixed, required: true },
    /** Removed once the key has retired: nothing may sign with it again. */
    encryptedPrivateKey: {
      type: new mongoose.Schema(
        {
          iv: { type: String, required: true },
          tag: { type: String, required: true },
          ciphertext: { type: String, required: true },
        },
        { _id: false },
      ),
    },
    activatedAt: { type: Date, required: true },
    /** Set when a newer key takes over: the key is still published (and trusted by platforms) until then. */
    retiresAt: { type: Date },
  },
  { collection: 'toolkeys', versionKey: false },
);
toolKeySchema.index({ generation: 1 }, { unique: true });
toolKeySchema.index({ kid: 1 }, { unique: true });

export type ToolKey = InferSchemaType<typeof toolKeySchema> & { _id: mongoose.Types.ObjectId };
export const ToolKeyModel = mongoose.model('ToolKey', toolKeySchema);
