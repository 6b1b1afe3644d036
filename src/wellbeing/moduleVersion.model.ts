import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * One version of one module, as imported from its pack. Versions are never changed or removed: progress and
 * completions keep the version they were made on (issue 10), so a changed pack adds a version beside the old.
 */
const moduleVersionSchema = new mongoose.Schema(
  {
    slug: { type: String, required: true },
    version: { type: Number, required: true, min: 1 },
    /** sha256 of the validated module and its Markdown bodies: equal hashes mean an import changes nothing. */
    contentHash: { type: String, required: true },
    /** Slugs placed in LMS courses earlier that now open this module. */
    aliases: { type: [String], default: [] },
    title: { type: String, required: true },
    summary: { type: String, required: true },
    audience: { type: [String], required: true },
    estimatedMinutes: { type: Number, required: true },
    /** module.yaml as validated (objectives, sources, steps, …). */
    definition: { type: mongoose.Schema.Types.Mixed, required: true },
    /** The Markdown of the `read` steps, by file name. */
    bodies: { type: mongoose.Schema.Types.Mixed, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, minimize: false },
);
moduleVersionSchema.index({ slug: 1, version: 1 }, { unique: true });
moduleVersionSchema.index({ aliases: 1 });

export type ModuleVersion = InferSchemaType<typeof moduleVersionSchema> & { _id: mongoose.Types.ObjectId };
export const ModuleVersionModel = mongoose.model('ModuleVersion', moduleVersionSchema);
