import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { csrfProtection } from '../../shared/http/csrf';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { ValidationError } from '../../shared/errors';
import { cmeProfessionLabels, cmeProfessions, creditTypeLabels, creditTypes, requireCmeAdmin } from '../core';
import type { ReportingStatusSource } from './adminHome.reporting';
import { cmeAdminHome } from './adminHome.service';
import { reportCsv, reportCsvFileName } from './report.csv';
import { reportFilterSchema, typedFilters } from './report.schemas';
import { creditReport } from './report.service';

const homePath = '/cme/admin';
const reportPath = '/cme/admin/report';

/** Each filter's input id, for the error summary's links. */
const fieldIds: Record<string, string> = {
  from: 'report-from',
  to: 'report-to',
  activity: 'report-activity',
  creditType: 'report-credit-type',
  profession: 'report-profession',
};

/** The selects' options, with the chosen one marked. */
function options(
  chosen: { activity: string; creditType: string; profession: string },
  activities: Array<{ key: string; title: string }>,
) {
  return {
    activities: activities.map((item) => ({
      value: item.key,
      label: item.title,
      selected: item.key === chosen.activity,
    })),
    creditTypes: creditTypes.map((value) => ({
      value,
      label: creditTypeLabels[value],
      selected: value === chosen.creditType,
    })),
    professions: cmeProfessions.map((value) => ({
      value,
      label: cmeProfessionLabels[value],
      selected: value === chosen.profession,
    })),
  };
}

/** The query string of the chosen filters, for the CSV link (the same report, as a file). */
function queryOf(filters: Record<string, string>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  return query.toString();
}

async function renderReport(req: Request, res: Response) {
  const parsed = reportFilterSchema.safeParse(req.query ?? {});
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    const form = typedFilters(req.query);
    // The activity list still comes from the tenant, so the form can be fixed in place.
    const { activities } = await creditReport(req.cmeAdmin!, {
      from: '',
      to: '',
      activity: '',
      creditType: '',
      profession: '',
    });
    res.status(400);
    return res.render('cme/reports/report', {
      title: 'Error: CME credit report',
      errors: Object.entries(errors).map(([field, message]) => ({
        href: `#${fieldIds[field] ?? 'report-from'}`,
        message,
      })),
      fieldErrors: errors,
      form,
      ...options(form, activities),
    });
  }
  const report = await creditReport(req.cmeAdmin!, parsed.data);
  const form = { ...report.filters };
  res.render('cme/reports/report', {
    title: 'CME credit report',
    errors: [],
    fieldErrors: {},
    form,
    report,
    csvHref: `${reportPath}.csv${queryOf(form) ? `?${queryOf(form)}` : ''}`,
    ...options(form, report.activities),
  });
}

/**
 * The CME admin's own pages (issue 13, item 6): `/cme/admin`, the home linking to activities, claims, the audit
 * log, the report and the exports, with credits by month and what waits to be reported (issue 14, item 4, from
 * `reporting`); `/cme/admin/report`, credits by activity, month, profession and credit type with a chart and a
 * table (revoked claims left out); `/cme/admin/report.csv`, that table as a file. Their tenant only.
 */
export function reportsRouter({
  config,
  reporting,
}: {
  config: Config;
  reporting?: ReportingStatusSource;
}): Router {
  const router = Router();
  const guard = [requireCmeAdmin(), csrfProtection(config.sessionSecret)];

  router.get(homePath, ...guard, async (req, res) => {
    const home = await cmeAdminHome(req.cmeAdmin!, reporting);
    res.render('cme/reports/home', { title: 'CME administration', home });
  });

  router.get(reportPath, ...guard, renderReport);

  router.get(`${reportPath}.csv`, ...guard, async (req, res) => {
    const parsed = reportFilterSchema.safeParse(req.query ?? {});
    if (!parsed.success) {
      throw new ValidationError(
        Object.values(fieldErrors(parsed.error)).join(' '),
        fieldErrors(parsed.error),
      );
    }
    const report = await creditReport(req.cmeAdmin!, parsed.data);
    res
      .type('text/csv; charset=utf-8')
      .attachment(reportCsvFileName(report))
      .set('Cache-Control', 'no-store')
      .send(reportCsv(report));
  });

  return router;
}
