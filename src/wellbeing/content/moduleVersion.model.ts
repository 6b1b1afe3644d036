import mongoose, { type InferSchemaType } from 'mongoose';
import type { ModulePack } from './pack.schemas';

/**
 * One version of one module, as imported from its pack. Versions are never changed or removed: progress and
 * completions keep the version they were made on (issue 10), so a changed pack adds a version beside the old.
 * A module belongs to everyone (bundled with Rounds, `tenantId: null`) or to the one tenant that uploaded it.
 */
const moduleVersionSchema = new mongoose.Schema(
  {
    /** The tenant that uploaded the module; null for the modules bundled with Rounds (content/modules). */
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', default: null },
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
    /** module.yaml as its author wrote it (comments and all), so a downloaded pack is the one uploaded. */
    sourceYaml: { type: String },
    /** Who uploaded this version (a tenant admin); null for bundled modules. */
    uploadedBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User', default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, minimize: false },
);
// One version number per module per owner: a concurrent import of the same module fails rather than forks it.
moduleVersionSchema.index({ tenantId: 1, slug: 1, version: 1 }, { unique: true });
moduleVersionSchema.index({ aliases: 1 });

type StoredModuleVersion = InferSchemaType<typeof moduleVersionSchema>;

/** A stored module version, with its definition typed for the player and the catalogue. */
export type ModuleVersion = Omit<StoredModuleVersion, 'tenantId' | 'definition' | 'bodies' | 'uploadedBy'> & {
  _id: mongoose.Types.ObjectId;
  tenantId: mongoose.Types.ObjectId | null;
  definition: ModulePack;
  bodies: Record<string, string>;
  uploadedBy: mongoose.Types.ObjectId | null;
  createdAt: Date;
};
export const ModuleVersionModel = mongoose.model<ModuleVersion>('ModuleVersion', moduleVersionSchema);
