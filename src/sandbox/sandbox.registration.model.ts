import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

// Tools registered with the sandbox LMS through LTI Dynamic Registration, and the one-time tokens that allow it.
// Like every sandbox document, both carry the platform's `issuer` so two sandboxes on one database stay apart.

const registrationTokenSchema = new Schema(
  {
    issuer: { type: String, required: true },
    /** SHA-256 of the bearer token handed to the tool in the registration URL. */
    tokenHash: { type: String, required: true, unique: true },
    expiresAt: { type: Date, required: true, index: { expireAfterSeconds: 0 } },
  },
  { collection: 'sandboxregistrationtokens', versionKey: false },
);

const toolRegistrationSchema = new Schema(
  {
    issuer: { type: String, required: true },
    clientId: { type: String, required: true },
    deploymentId: { type: String, required: true },
    clientName: { type: String, required: true },
    initiateLoginUri: { type: String, required: true },
    redirectUris: { type: [String], required: true },
    jwksUri: { type: String, required: true },
    targetLinkUri: { type: String, required: true },
    deepLinkUri: { type: String },
    scopes: { type: [String], default: [] },
    claims: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
  },
  { collection: 'sandboxtoolregistrations', versionKey: false },
);
toolRegistrationSchema.index({ issuer: 1, clientId: 1 }, { unique: true });

export type SandboxToolRegistrationDocument = InferSchemaType<typeof toolRegistrationSchema>;

function model<T extends Schema>(name: string, schema: T): Model<InferSchemaType<T>> {
  // Guarded so a second createSandbox (tests, hot reload) reuses the compiled model.
  const existing = mongoose.models[name] as Model<InferSchemaType<T>> | undefined;
  return existing ?? (mongoose.model(name, schema) as unknown as Model<InferSchemaType<T>>);
}

export const SandboxRegistrationToken = model('SandboxRegistrationToken', registrationTokenSchema);
export const SandboxToolRegistration = model('SandboxToolRegistration', toolRegistrationSchema);
