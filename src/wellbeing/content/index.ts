// The door to wellbeing/content/: module packs, their import (bundled) and upload (a tenant's own), their stored
// versions, and the admin page that lists, uploads and downloads them.
export { contentAdminRouter } from './content.routes';
export { importBundledModules, importModules } from './import.service';
export type { ImportResult, ModuleImportOutcome } from './import.service';
export { uploadModulePack } from './moduleUpload.service';
export type { PackUpload } from './moduleUpload.service';
export { modulePackArchive } from './moduleAdmin.service';
export { findModuleVersion, latestVersion, listModules, resolveModule } from './modules.service';
export { ModuleVersionModel } from './moduleVersion.model';
export type { ModuleVersion } from './moduleVersion.model';
export { formatPackError, loadPack, loadPackFiles } from './pack.loader';
export type { LoadedPack, PackError, PackFiles, PackResult } from './pack.loader';
export { readPackArchive, packsInArchive } from './archive.reader';
export { audiences, instruments } from './pack.schemas';
export type { ModulePack, ModuleStep } from './pack.schemas';
