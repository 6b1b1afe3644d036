// The door to wellbeing/: module packs, their import and their stored versions.
export { importModules, latestVersion, resolveModule } from './import.service';
export type { ImportResult, ModuleImportOutcome } from './import.service';
export { ModuleVersionModel } from './moduleVersion.model';
export type { ModuleVersion } from './moduleVersion.model';
export { formatPackError, loadPack } from './pack.loader';
export type { LoadedPack, PackError, PackResult } from './pack.loader';
export type { ModulePack, ModuleStep } from './pack.schemas';
