import mongoose, { type InferSchemaType } from 'mongoose';
import { cmeProfessions } from './credit.types';

const consentSchema = new mongoose.Schema(
  { given: { type: Boolean, required: true }, at: { type: Date, required: true } },
  { _id: false },
);

/**
 * A learner's reporting profile (issue 13, item 2): asked once, at the first claim, and editable. Identifiers as
 * boards and registries need them; birth month and day only (never a year). Each consent to report is recorded
 * separately with the time it was given or withdrawn.
 */
const cmeProfileSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    profession: { type: String, enum: cmeProfessions, required: true },
    firstName: { type: String, default: '', maxlength: 100 },
    lastName: { type: String, default: '', maxlength: 100 },
    npi: { type: String, default: '' },
    licenseNumber: { type: String, default: '', maxlength: 40 },
    licenseState: { type: String, default: '' },
    certifyingBoard: { type: String, default: '', maxlength: 100 },
    boardId: { type: String, default: '', maxlength: 40 },
    /** `MMDD`, a real calendar day (02/29 allowed). */
    birthMonthDay: { type: String, default: '' },
    nabpEprofileId: { type: String, default: '' },
    /** The revision this state is (CmeProfileRevision), and when it was saved; absent before issue 14. */
    revision: { type: Number, min: 1 },
    revisedAt: { type: Date },
    consents: {
      pars: { type: consentSchema },
      cpeMonitor: { type: consentSchema },
      ceBroker: { type: consentSchema },
    },
  },
  { timestamps: true },
);
cmeProfileSchema.index({ tenantId: 1, userId: 1 }, { unique: true });
// A user belongs to one tenant, so the user id alone is unique too; exports look profiles up a batch at a time by
// it (`$in`), which the database stand-in answers from a single-field unique index only.
cmeProfileSchema.index({ userId: 1 }, { unique: true });

export type CmeProfile = InferSchemaType<typeof cmeProfileSchema> & { _id: mongoose.Types.ObjectId };
export const CmeProfileModel = mongoose.model('CmeProfile', cmeProfileSchema);
