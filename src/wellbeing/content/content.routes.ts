import { Router, type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import type { Config } from '../../config';
import { NotFoundError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { requireRole } from '../../shared/http/requireRole';
import { decodeOutcomes, encodeOutcomes, packDownloadSchema } from './content.schemas';
import { modulePackArchive, modulesFor } from './moduleAdmin.service';
import { uploadModulePack } from './moduleUpload.service';
import { formatPackError } from './pack.loader';

const basePath = '/admin/modules';
const maxUploadBytes = 2 * 1024 * 1024;

const statusLabels = { new: 'New', updated: 'Updated', unchanged: 'Unchanged' } as const;

/** The one pack file, in memory (packs are small text; the archive reader caps what it unpacks). */
const receiveFile = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: maxUploadBytes, files: 1, fields: 4, fieldSize: 1024, fieldNameSize: 100, parts: 5 },
}).single('pack');

/** What a refused form is told: one problem with the file field, or the pack's own errors. */
interface UploadProblem {
  fileError?: string;
  packErrors?: string[];
}

function multerMessage(error: multer.MulterError): string {
  if (error.code === 'LIMIT_FILE_SIZE')
    return 'The file is larger than 2 MB. A pack holds text: check it is the right file.';
  if (error.code === 'LIMIT_FILE_COUNT' || error.code === 'LIMIT_UNEXPECTED_FILE') {
    return 'Upload one pack file, in the “Pack file” field.';
  }
  return 'The form could not be read. Reload the page and try again.';
}

/**
 * Parses the multipart form (the CSRF check after it reads `_csrf` from its fields); a file over the limit, an
 * unexpected part or a malformed body is a problem shown on the form, not an error page.
 */
function receivePack(req: Request, res: Response, next: NextFunction): void {
  receiveFile(req, res, (error?: unknown) => {
    if (!error) return next();
    // A broken multipart body (no boundary, cut off) is a bad request like a file over the limit, not a crash.
    const fileError =
      error instanceof multer.MulterError
        ? multerMessage(error)
        : 'The form could not be read. Reload the page and try again.';
    res.locals.uploadProblem = { fileError } satisfies UploadProblem;
    req.body ??= {};
    next();
  });
}

async function renderModulesPage(req: Request, res: Response, problem?: UploadProblem): Promise<void> {
  const page = await modulesFor(req.actor!);
  const packErrors = problem?.packErrors ?? [];
  const errors = [
    ...(problem?.fileError ? [{ href: '#pack', message: problem.fileError }] : []),
    ...packErrors.map((message) => ({ href: '#pack', message })),
  ];
  const outcomes = problem ? [] : decodeOutcomes(req.query.result);
  res.render('wellbeing/content/modules', {
    title: errors.length ? 'Error: Modules' : 'Modules',
    errors,
    fileError: problem?.fileError,
    packErrors,
    outcomes: outcomes.map((o) => ({ ...o, label: statusLabels[o.status] })),
    ...page,
  });
}

/**
 * `/admin/modules`: a tenant admin's list of the modules their courses can use, a pack upload (the tenant's own
 * modules, all or nothing, POST → 303 → GET with what happened to each module) and a pack download of any of
 * them. The role check runs before the upload is read, so no one else can make Rounds buffer a file.
 */
export function contentAdminRouter({ config }: { config: Config }): Router {
  const router = Router();
  const csrf = csrfProtection(config.sessionSecret);

  router.use(basePath, requireRole('admin'));

  router.get(basePath, csrf, (req, res) => renderModulesPage(req, res));

  router.post(basePath, receivePack, csrf, async (req, res) => {
    const problem = res.locals.uploadProblem as UploadProblem | undefined;
    const file = req.file;
    if (problem || !file || file.size === 0) {
      res.status(400);
      return renderModulesPage(
        req,
        res,
        problem ?? { fileError: 'Choose a pack file (.zip, .tar or .tar.gz) to upload.' },
      );
    }
    const fileName = file.originalname.split(/[\\/]/).at(-1)!.slice(0, 120) || 'the file';
    const result = await uploadModulePack(req.actor!, { fileName, bytes: file.buffer });
    if (!result.ok) {
      res.status(400);
      return renderModulesPage(req, res, { packErrors: result.errors.map(formatPackError) });
    }
    res.redirect(303, `${basePath}?result=${encodeURIComponent(encodeOutcomes(result.modules))}`);
  });

  router.get(`${basePath}/:slug/pack.zip`, async (req, res) => {
    const parsed = packDownloadSchema.safeParse({ slug: req.params.slug, version: req.query.version });
    if (!parsed.success) throw new NotFoundError('There is no such module, or no such version of it.');
    const { fileName, bytes } = await modulePackArchive(req.actor!, parsed.data.slug, parsed.data.version);
    res.attachment(fileName).type('application/zip').send(Buffer.from(bytes));
  });

  return router;
}
