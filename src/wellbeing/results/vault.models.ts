import mongoose from 'mongoose';

// The three collections of the vault. Nothing in them names an instrument's answer, score or band next to a learner
// in clear: results are sealed whole, and tallies carry a band only beside an anonymous token.

const sealedSchema = new mongoose.Schema(
  {
    iv: { type: String, required: true },
    tag: { type: String, required: true },
    ciphertext: { type: String, required: true },
  },
  { _id: false },
);

/**
 * A learner's data key, sealed under the key derived from config. Deleting it makes their records unreadable. No
 * timestamps and a random id (an ObjectId holds its creation time): nothing here says when someone first took a check.
 */
export const wellbeingKeySchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    sealedKey: { type: sealedSchema, required: true },
  },
  { versionKey: false },
);
wellbeingKeySchema.index({ tenantId: 1, userId: 1 }, { unique: true });

/**
 * One self-check result: instrument, answers, score, band and time are all inside `sealed` (AAD: tenant, learner,
 * record id). The id is random, so not even the time of taking shows.
 */
const wellbeingResultSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    sealed: { type: sealedSchema, required: true },
  },
  { versionKey: false },
);
wellbeingResultSchema.index({ tenantId: 1, userId: 1 });

/**
 * One person's band for an instrument in a month (their latest result that month), for admins' aggregates. The id
 * is the learner's tally token (HMAC of tenant|instrument|month under their data key): unique per person, instrument
 * and month, and meaningless without their key.
 */
const wellbeingTallySchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    instrument: { type: String, required: true },
    /** yyyy-MM in the tenant's time zone. */
    month: { type: String, required: true },
    band: { type: String, required: true },
  },
  { versionKey: false },
);
wellbeingTallySchema.index({ tenantId: 1, instrument: 1, month: 1, _id: 1 }, { unique: true });

export const WellbeingKeyModel = mongoose.model('WellbeingKey', wellbeingKeySchema);
export const WellbeingResultModel = mongoose.model('WellbeingResult', wellbeingResultSchema);
export const WellbeingTallyModel = mongoose.model('WellbeingTally', wellbeingTallySchema);
