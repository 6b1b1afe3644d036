import mongoose, { type InferSchemaType } from 'mongoose';
import { creditTypes } from './credit.types';

export const activityFormats = ['enduring', 'live', 'rss', 'other'] as const;
export type ActivityFormat = (typeof activityFormats)[number];
export const activityStatuses = ['draft', 'published', 'closed'] as const;

/** A credit designation: the credit type, its maximum (quarter steps) and the statement printed as designated. */
const designationSchema = new mongoose.Schema(
  {
    creditType: { type: String, enum: creditTypes, required: true },
    maximum: { type: Number, required: true, min: 0.25, max: 200 },
    statement: { type: String, required: true, maxlength: 2000 },
    /** ACPE: the Universal Activity Number and its credit type (knowledge, application, practice). */
    uan: { type: String, maxlength: 40 },
    acpeCreditType: { type: String, maxlength: 40 },
  },
  { _id: false },
);

/** ACCME Standard 3 disclosure of one planner or faculty member: a relationship, or none. */
const disclosureSchema = new mongoose.Schema(
  {
    name: { type: String, required: true, maxlength: 200 },
    role: { type: String, enum: ['planner', 'faculty'], required: true },
    /** Empty when the person has no relevant financial relationship. */
    company: { type: String, default: '', maxlength: 200 },
    relationship: { type: String, default: '', maxlength: 200 },
    mitigated: { type: Boolean, default: false },
  },
  { _id: false },
);

const questionSchema = new mongoose.Schema(
  {
    text: { type: String, required: true, maxlength: 1000 },
    /** Post-test: the choices and the index of the right one; evaluation: scale (1–5) or free text. */
    kind: { type: String, enum: ['choice', 'scale', 'text'], required: true },
    options: { type: [String], default: [] },
    correct: { type: Number },
  },
  { _id: false },
);

/**
 * A CME activity, one document per version (issue 13, item 1). `key` names the activity across versions; a
 * published version is never edited in its designations: a change publishes a new version, and claims name the
 * version they were made under. Drafted → published → closed. Dates are calendar dates (`YYYY-MM-DD`).
 */
const activitySchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    key: { type: String, required: true },
    version: { type: Number, required: true, min: 1 },
    status: { type: String, enum: activityStatuses, default: 'draft' },
    title: { type: String, required: true, maxlength: 200 },
    description: { type: String, default: '', maxlength: 4000 },
    format: { type: String, enum: activityFormats, required: true },
    providerName: { type: String, required: true, maxlength: 200 },
    /** `joint` (Joint Accreditation: ACCME, ACPE, ANCC together) or a single accreditor. */
    accreditation: { type: String, enum: ['joint', 'accme', 'ancc', 'acpe'], required: true },
    accreditationStatement: { type: String, required: true, maxlength: 2000 },
    startDate: { type: String, required: true },
    endDate: { type: String, required: true },
    /** Live formats: where it takes place. */
    location: { type: String, default: '', maxlength: 300 },
    accmeActivityId: { type: String, default: '', maxlength: 40 },
    /** CE Broker's provider and course numbers of this activity (nurses' reporting file, issue 14). */
    ceBrokerProviderNumber: { type: String, default: '', maxlength: 40 },
    ceBrokerCourseNumber: { type: String, default: '', maxlength: 40 },
    designations: { type: [designationSchema], default: [] },
    requirements: {
      moduleSlugs: { type: [String], default: [] },
      /** Sessions of a cohort to attend (present), counted from the cohorts' attendance. */
      sessions: {
        cohortId: { type: mongoose.Schema.Types.ObjectId, ref: 'Cohort' },
        count: { type: Number, min: 0 },
      },
      postTest: {
        passPercent: { type: Number, min: 1, max: 100 },
        questions: { type: [questionSchema], default: [] },
      },
      /** The evaluation before the certificate (common provider practice; on by default). */
      evaluationRequired: { type: Boolean, default: true },
      evaluationQuestions: { type: [questionSchema], default: [] },
    },
    disclosures: { type: [disclosureSchema], default: [] },
    /** LMS courses whose placed `cme-claim:course-credit` activity opens this activity's claim page. */
    courseIds: { type: [mongoose.Schema.Types.ObjectId], ref: 'Course', default: [] },
    publishedAt: { type: Date },
    closedAt: { type: Date },
    createdBy: { type: String, default: '' },
  },
  { timestamps: true },
);
activitySchema.index({ tenantId: 1, key: 1, version: 1 }, { unique: true });

export type CmeActivity = InferSchemaType<typeof activitySchema> & { _id: mongoose.Types.ObjectId };
export const CmeActivityModel = mongoose.model('CmeActivity', activitySchema);
