import mongoose, { type InferSchemaType } from 'mongoose';

/** A tenant is one deployment of Rounds in one LMS: (issuer, client_id, deployment_id), per ARCHITECTURE.md. */
const tenantSchema = new mongoose.Schema(
  {
    issuer: { type: String, required: true },
    clientId: { type: String, required: true },
    deploymentId: { type: String, required: true },
    /** The LMS's name as it announced itself (tool_platform.name), for admins' screens. */
    platformName: { type: String, default: '' },
    timeZone: { type: String, default: 'UTC' },
  },
  { timestamps: true },
);
tenantSchema.index({ issuer: 1, clientId: 1, deploymentId: 1 }, { unique: true });

export type Tenant = InferSchemaType<typeof tenantSchema> & { _id: mongoose.Types.ObjectId };
export const TenantModel = mongoose.model('Tenant', tenantSchema);
