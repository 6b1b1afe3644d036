import mongoose from 'mongoose';

/**
 * A tenant's admission lock for export jobs (issue 14 review): one document per tenant while a request decides
 * whether a new job may be queued (the limit of pending jobs, the same file already pending). Two posts at the
 * same moment (a double click) take turns instead of both queuing. `_id` is the tenant id (unique by nature);
 * `until` lets a request take over a lock whose holder died; `token` lets only its holder release it.
 */
const admissionSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    token: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { versionKey: false },
);

export const CmeExportAdmissionModel = mongoose.model('CmeExportAdmission', admissionSchema);
