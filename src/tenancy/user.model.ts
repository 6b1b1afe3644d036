import mongoose, { type InferSchemaType } from 'mongoose';

/** A person as the LMS identifies them: `subject` is the id_token's `sub` (Moodle: the numeric user id). */
const userSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    subject: { type: String, required: true },
    name: { type: String, default: '' },
    givenName: { type: String, default: '' },
    familyName: { type: String, default: '' },
    email: { type: String, default: '' },
    /** Set when an LTI launch or roster sync last saw this person. */
    lastLaunchAt: { type: Date },
    /**
     * Their profession, when known (wellbeing/support `professions`; the same list here, checked by a unit test):
     * what support lines, modules first and CME credit types they see. Absent: unknown, or "prefer not to say".
     */
    profession: {
      type: String,
      enum: ['physician', 'medical-student', 'nurse', 'pharmacist', 'technician', 'other'],
    },
    /** Who set `profession`: the learner on their profile page (wins), or the LMS's `profession` custom parameter. */
    professionSource: { type: String, enum: ['learner', 'lms'] },
  },
  { timestamps: true },
);
userSchema.index({ tenantId: 1, subject: 1 }, { unique: true });

export type User = InferSchemaType<typeof userSchema> & { _id: mongoose.Types.ObjectId };
export const UserModel = mongoose.model('User', userSchema);

/** The name to greet someone by: given name, else full name, else a neutral word. */
export function displayName(user: Pick<User, 'name' | 'givenName'>): string {
  return user.givenName || user.name || 'there';
}
