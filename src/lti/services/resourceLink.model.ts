import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * An LMS activity (LTI resource link) that launched Rounds, with the Advantage service endpoints its last launch
 * carried (AGS 2.0 §3.1, NRPS 2.0 §3.6.1.1) and the line item Rounds posts its scores to once found or created.
 */
const resourceLinkSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    courseId: { type: mongoose.Schema.Types.ObjectId, ref: 'Course', required: true },
    resourceLinkId: { type: String, required: true },
    title: { type: String, default: '' },
    /** AGS scopes the platform granted on the last launch; without `lineitem`, Rounds may not create line items. */
    agsScopes: { type: [String], default: [] },
    /** The course's line items container (AGS `lineitems`). */
    lineItemsUrl: { type: String },
    /** The line item the platform named for this link (AGS `lineitem`): Moodle sends it when the activity has one. */
    claimLineItemUrl: { type: String },
    /** The line item scores go to: the claim's, or the one Rounds found or created. */
    lineItemUrl: { type: String },
    /** NRPS `context_memberships_url` of the course. */
    membershipsUrl: { type: String },
    lastLaunchAt: { type: Date },
  },
  { timestamps: true },
);
resourceLinkSchema.index({ tenantId: 1, courseId: 1, resourceLinkId: 1 }, { unique: true });

export type ResourceLink = InferSchemaType<typeof resourceLinkSchema> & { _id: mongoose.Types.ObjectId };
export const ResourceLinkModel = mongoose.model('ResourceLink', resourceLinkSchema);
