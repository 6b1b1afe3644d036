import { Router } from 'express';
import type { Config } from '../../config';
import { ValidationError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { requireCmeAdmin } from '../core';
import { responseSink } from './export.download';
import { exportFilterSchema } from './export.filter';
import { exportFormatChoices } from './export.labels';
import { exportFormats, type ExportFormat } from './export.model';
import { ExportFileGoneError, exportFile, exportJobPage, exportLog, exportStatus } from './export.pages';
import { ExportQueueFullError } from './export.queue';
import { previewExport, recreateExport, startStreamingExport } from './export.service';
import { exportContentType, exportFileName } from './export.writer';
import { typedFilters } from '../reports';
import { errorsOf, queryOf, renderForm, renderQueueFull, settingsOf } from './exports.form';
import { exportFormatSchema, exportLogQuerySchema, filtersApplied } from './exports.schemas';

const formPath = '/cme/admin/exports';
const logPath = '/cme/admin/exports/log';
const jobPath = (id: string) => `${formPath}/${encodeURIComponent(id)}`;

/**
 * The CME admin's export pages (issue 14): the form (filters, the count, the formats) that streams a small file in
 * the response or starts a job for a large one; the job page with its progress, status JSON and kept file; the
 * audit log with "Re-create and verify". Their tenant's exports only (another's → 403).
 */
export function exportsRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireCmeAdmin(), csrfProtection(config.sessionSecret)];

  router.get(formPath, ...guard, async (req, res) => {
    const typed = typedFilters(req.query);
    const format = typeof req.query.format === 'string' ? req.query.format : '';
    if (!filtersApplied(req.query)) return renderForm(req, res, config, { typed, format });
    const parsed = exportFilterSchema.safeParse(req.query);
    if (!parsed.success) {
      return renderForm(req, res, config, { status: 400, typed, format, errors: fieldErrors(parsed.error) });
    }
    try {
      const preview = await previewExport(req.cmeAdmin!, parsed.data, settingsOf(config));
      const notice =
        req.query.empty === '1' && (exportFormats as readonly string[]).includes(format)
          ? `No claim in these filters belongs in the ${exportFormatChoices[format as ExportFormat].label}, so no file was made.`
          : '';
      return renderForm(req, res, config, { typed, format, preview, notice });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return renderForm(req, res, config, { status: 400, typed, format, errors: errorsOf(error) });
    }
  });

  router.post(formPath, ...guard, async (req, res) => {
    const typed = typedFilters(req.body);
    const format = typeof req.body?.format === 'string' ? String(req.body.format) : '';
    const filter = exportFilterSchema.safeParse(req.body ?? {});
    const chosen = exportFormatSchema.safeParse(req.body ?? {});
    if (!filter.success || !chosen.success) {
      const errors = {
        ...(filter.success ? {} : fieldErrors(filter.error)),
        ...(chosen.success ? {} : fieldErrors(chosen.error)),
      };
      const preview = filter.success
        ? await previewExport(req.cmeAdmin!, filter.data, settingsOf(config)).catch(() => undefined)
        : undefined;
      return renderForm(req, res, config, { status: 400, typed, format, errors, preview });
    }
    // The response as the file's sink: headers go out with its first byte, only once the export is a download.
    const sink = responseSink(res, {
      fileName: exportFileName({ format: chosen.data.format, filter: filter.data }),
      contentType: exportContentType(chosen.data.format),
    });
    const client = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) client.abort();
    });
    let started;
    try {
      started = await startStreamingExport(
        req.cmeAdmin!,
        { filter: filter.data, format: chosen.data.format },
        settingsOf(config),
        sink,
        client.signal,
      );
    } catch (error) {
      if (error instanceof ExportQueueFullError) {
        return renderQueueFull(res, error, {
          href: `${formPath}?${queryOf(typed, { format })}`,
          label: 'Back to the export form, with these filters',
        });
      }
      if (!(error instanceof ValidationError)) throw error;
      // The form again with its counts (a format refused: the Excel limit); none for an unknown activity.
      const preview = error.fields.activity
        ? undefined
        : await previewExport(req.cmeAdmin!, filter.data, settingsOf(config)).catch(() => undefined);
      return renderForm(req, res, config, { status: 400, typed, format, errors: errorsOf(error), preview });
    }
    const { record, mode, file } = started;
    // A new job, or the same file already being made (sent to it rather than making it twice).
    if (mode === 'job' || !file) return res.redirect(303, jobPath(String(record._id)));
    if (res.destroyed) client.abort();
    try {
      const result = await file;
      if (result.rowCount === 0) res.redirect(303, `${formPath}?${queryOf(typed, { format, empty: '1' })}`);
    } catch (error) {
      // Bytes already went out: the only honest signal left is a cut connection (the record says `failed`).
      if (sink.started() || client.signal.aborted) return void res.destroy();
      if (!(error instanceof ValidationError)) throw error;
      return renderForm(req, res, config, {
        status: 400,
        typed,
        format,
        errors: errorsOf(error),
        preview: { selected: record.entriesTotal },
      });
    }
  });

  // Before `/:id`, which would take "log" for an id.
  router.get(logPath, ...guard, async (req, res) => {
    const { page } = exportLogQuerySchema.parse(req.query);
    const log = await exportLog(req.cmeAdmin!, page);
    res.render('cme/exports/log', { title: 'CME export log', ...log });
  });

  router.get(`${formPath}/:id`, ...guard, async (req, res) => {
    const job = await exportJobPage(req.cmeAdmin!, String(req.params.id));
    res.set('Cache-Control', 'no-store');
    res.render('cme/exports/job', {
      title: `${job.recreation ? 'Re-created export' : 'Export'}: ${job.formatLabel}`,
      job,
    });
  });

  router.get(`${formPath}/:id/status`, ...guard, async (req, res) => {
    const progress = await exportStatus(req.cmeAdmin!, String(req.params.id));
    res.set('Cache-Control', 'no-store').json(progress);
  });

  router.get(`${formPath}/:id/file`, ...guard, async (req, res) => {
    let file;
    try {
      file = await exportFile(req.cmeAdmin!, String(req.params.id));
    } catch (error) {
      if (!(error instanceof ExportFileGoneError)) throw error;
      return res.status(410).render('cme/exports/gone', {
        title: error.pageTitle,
        message: error.message,
        jobPath: jobPath(error.exportId),
      });
    }
    res.status(200);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Length', String(file.bytes));
    res.attachment(file.fileName);
    res.setHeader('Cache-Control', 'no-store');
    const stream = file.stream();
    stream.on('error', (error) => {
      req.log?.error({ err: error }, 'export file could not be read');
      res.destroy();
    });
    stream.pipe(res);
  });

  router.post(`${formPath}/:id/recreate`, ...guard, async (req, res) => {
    try {
      // A re-creation of the same original still pending is answered with that one.
      const { record } = await recreateExport(req.cmeAdmin!, String(req.params.id));
      res.redirect(303, jobPath(String(record._id)));
    } catch (error) {
      if (!(error instanceof ExportQueueFullError)) throw error;
      renderQueueFull(res, error, { href: logPath, label: 'Back to the export log' });
    }
  });

  return router;
}
