import mongoose, { type InferSchemaType } from 'mongoose';

/** Instruments a tenant admin must confirm eligible use of before learners see them (ARCHITECTURE.md). */
export const confirmableInstruments = ['pss-10', 'mini-z-2'] as const;
export type ConfirmableInstrument = (typeof confirmableInstruments)[number];

/** Who did something on the settings page, as they were named then. */
const bySchema = {
  userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
  userName: { type: String, default: '' },
  at: { type: Date, required: true },
};

/** A standing confirmation of eligible (non-commercial) use of one instrument. */
const confirmationSchema = new mongoose.Schema(
  { instrument: { type: String, enum: confirmableInstruments, required: true }, ...bySchema },
  { _id: false },
);

/** One change of a confirmation, kept so an admin can see who turned an instrument on or off, and when. */
const confirmationEventSchema = new mongoose.Schema(
  {
    instrument: { type: String, enum: confirmableInstruments, required: true },
    action: { type: String, enum: ['confirmed', 'withdrawn'], required: true },
    ...bySchema,
  },
  { _id: false },
);

/**
 * A tenant's well-being settings: its employee-assistance programme (shown with the support lines) and its
 * confirmations of eligible instrument use. One document per tenant (unique `tenantId`), read by a unique key on
 * every support page and positive screen. The tenant's time zone stays on the Tenant itself.
 */
const wellbeingSettingsSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    eap: {
      name: { type: String, default: '' },
      phone: { type: String, default: '' },
      hours: { type: String, default: '' },
      /** https only (validated on the admin page). */
      url: { type: String, default: '' },
    },
    confirmations: { type: [confirmationSchema], default: [] },
    /** Newest last; capped so the document stays small. */
    confirmationHistory: { type: [confirmationEventSchema], default: [] },
  },
  { timestamps: true, collection: 'wellbeingsettings' },
);
wellbeingSettingsSchema.index({ tenantId: 1 }, { unique: true });

export type WellbeingSettings = InferSchemaType<typeof wellbeingSettingsSchema> & {
  _id: mongoose.Types.ObjectId;
};
export const WellbeingSettingsModel = mongoose.model('WellbeingSettings', wellbeingSettingsSchema);

/** How many confirmation changes a tenant's document keeps. */
export const confirmationHistoryLimit = 50;
