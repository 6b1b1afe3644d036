import mongoose, { type InferSchemaType } from 'mongoose';
import { cmeProfessions } from './credit.types';

const consentSchema = new mongoose.Schema(
  { given: { type: Boolean, required: true }, at: { type: Date, required: true } },
  { _id: false },
);

/**
 * Every saved state of a learner's reporting profile, append-only (issue 14, item 3): an export re-created later
 * must read each learner's identifiers and consents as they stood when the export was made, not as edited since.
 * `revision` counts from 1 per learner; `savedAt` is when that state began.
 */
const profileRevisionSchema = new mongoose.Schema({
  tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
  userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
  revision: { type: Number, required: true, min: 1 },
  savedAt: { type: Date, required: true },
  profession: { type: String, enum: cmeProfessions, required: true },
  firstName: { type: String, default: '' },
  lastName: { type: String, default: '' },
  npi: { type: String, default: '' },
  licenseNumber: { type: String, default: '' },
  licenseState: { type: String, default: '' },
  certifyingBoard: { type: String, default: '' },
  boardId: { type: String, default: '' },
  birthMonthDay: { type: String, default: '' },
  nabpEprofileId: { type: String, default: '' },
  consents: {
    pars: { type: consentSchema },
    cpeMonitor: { type: consentSchema },
    ceBroker: { type: consentSchema },
  },
});
profileRevisionSchema.index({ userId: 1, revision: 1 }, { unique: true });

export type CmeProfileRevision = InferSchemaType<typeof profileRevisionSchema> & {
  _id: mongoose.Types.ObjectId;
};
export const CmeProfileRevisionModel = mongoose.model('CmeProfileRevision', profileRevisionSchema);
