import type { Request, Response } from 'express';
import type { Config } from '../../config';
import type { ValidationError } from '../../shared/errors';
import { cmeProfessionLabels, cmeProfessions, creditTypeLabels, creditTypes } from '../core';
import { shownAt } from './export.facts';
import { exportFormatChoices } from './export.labels';
import { exportFormats, type ExportFormat } from './export.model';
import { pendingJobLimit, type ExportQueueFullError } from './export.queue';
import {
  exportActivities,
  xlsxTooLargeMessage,
  type ExportSettings,
  type previewExport,
} from './export.service';
import { xlsxMaxDataRows } from './export.xlsx';
import { typedFilters } from '../reports';

// The export form as the routes render it (issue 14): filters kept as typed, the counts once applied, each file's
// note, the error summary; and the page refusing a job while the tenant's pending jobs are at the limit.

/** Each field's input id, for the error summary's links. */
const fieldIds: Record<string, string> = {
  from: 'export-from',
  to: 'export-to',
  activity: 'export-activity',
  creditType: 'export-credit-type',
  profession: 'export-profession',
  format: `export-format-${exportFormats[0]}`,
  filters: 'export-from',
};

export type TypedFilters = ReturnType<typeof typedFilters>;

export interface FormState {
  status?: number;
  typed: TypedFilters;
  format: string;
  errors?: Record<string, string>;
  /** What the (valid) filters select; undefined until filters are applied and valid. */
  preview?: Preview;
  notice?: string;
}

export type Preview = Partial<Awaited<ReturnType<typeof previewExport>>> & { selected: number };

/** What the export service takes from the configuration. */
export const settingsOf = (config: Config): ExportSettings => ({
  inlineMaxRows: config.cmeExportInlineMaxRows,
  settleSeconds: config.cmeExportSettleSeconds,
});

/**
 * What each file would read of the matching claims, and what happens then: the counts `startExport` decides by,
 * so the form never promises a download that turns out a job (or the other way round).
 */
function formatNote(total: number | undefined, format: ExportFormat, inlineMaxRows: number) {
  if (total === undefined) return { text: '', inBackground: false };
  if (total === 0) return { text: 'None of the matching claims goes in this file.', inBackground: false };
  const claims = `${total.toLocaleString('en-US')} ${total === 1 ? 'claim' : 'claims'}`;
  if (format === 'pars-xlsx' && total > xlsxMaxDataRows)
    return { text: xlsxTooLargeMessage(total), inBackground: false };
  return total > inlineMaxRows
    ? { text: `Reads ${claims}: made in the background, then kept for you to download.`, inBackground: true }
    : { text: `Reads ${claims}: downloads at once.`, inBackground: false };
}

/** The form's filters (and extras) as a query string, for the way back to the form. */
export function queryOf(typed: TypedFilters, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ ...typed, ...extra });
  return query.toString();
}

/** Renders the export form: filters, the count once applied, the formats, the error summary with input kept. */
export async function renderForm(req: Request, res: Response, config: Config, state: FormState) {
  const admin = req.cmeAdmin!;
  const activities = await exportActivities(admin.tenantId);
  const errors = state.errors ?? {};
  const summary = Object.entries(errors).map(([field, message]) => ({
    href: `#${fieldIds[field] ?? 'export-from'}`,
    message,
  }));
  const format = (exportFormats as readonly string[]).includes(state.format)
    ? state.format
    : exportFormats[0];
  const preview = state.preview;
  const notes = Object.fromEntries(
    exportFormats.map((value) => [
      value,
      formatNote(preview?.byFormat?.[value], value, config.cmeExportInlineMaxRows),
    ]),
  ) as Record<ExportFormat, ReturnType<typeof formatNote>>;
  res.status(state.status ?? 200).render('cme/exports/form', {
    title: `${summary.length ? 'Error: ' : ''}CME exports`,
    errors: summary,
    fieldErrors: errors,
    form: state.typed,
    applied: preview !== undefined,
    selected: preview?.selected,
    selectedText: preview?.selected.toLocaleString('en-US'),
    recordedUpTo: preview?.asOf && preview.timeZone ? shownAt(preview.asOf, preview.timeZone) : '',
    timeZone: preview?.timeZone ?? '',
    inBackground: exportFormats.some((value) => notes[value].inBackground),
    inlineMaxRows: config.cmeExportInlineMaxRows.toLocaleString('en-US'),
    notice: state.notice ?? '',
    // A link may preselect the file (the CME home's "Export for NABP CPE Monitor"); counting keeps the choice.
    chosenFormat: (exportFormats as readonly string[]).includes(state.format) ? state.format : '',
    activities: activities.map((item) => ({
      value: item.key,
      label: item.title,
      selected: item.key === state.typed.activity,
    })),
    creditTypes: creditTypes.map((value) => ({
      value,
      label: creditTypeLabels[value],
      selected: value === state.typed.creditType,
    })),
    professions: cmeProfessions.map((value) => ({
      value,
      label: cmeProfessionLabels[value],
      selected: value === state.typed.profession,
    })),
    formats: exportFormats.map((value) => ({
      value,
      ...exportFormatChoices[value],
      note: notes[value].text,
      checked: value === format,
    })),
  });
}

/** The refusal of a ValidationError as form errors (a field's own, or the whole filter's). */
export function errorsOf(error: ValidationError): Record<string, string> {
  return Object.keys(error.fields).length ? error.fields : { filters: error.message };
}

/** The tenant's pending jobs are at the limit: 409, a page listing them, and the way back. */
export function renderQueueFull(
  res: Response,
  error: ExportQueueFullError,
  back: { href: string; label: string },
) {
  res.status(409).render('cme/exports/busy', {
    title: error.pageTitle,
    message: error.message,
    pending: error.pending,
    limit: pendingJobLimit,
    back,
  });
}
