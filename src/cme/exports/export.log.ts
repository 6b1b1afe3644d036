import { tenantTimeZone } from '../../tenancy';
import type { CmeAdmin } from '../core';
import { count, filterFacts, jobPath, personOf, shownAt, sizeOf } from './export.facts';
import { exportFormatChoices, exportStatusLabels } from './export.labels';
import { CmeExportModel, type ExportFormat, type ExportStatus } from './export.model';
import { exportActivities } from './export.service';

/** Rows a page of the export log. */
export const exportLogPageSize = 50;

/**
 * The export audit log (issue 14, item 3), newest first, 50 a page: who (and how they signed in), when, the
 * filter, the format, rows, size, SHA-256, status, and re-creations with their verdict. Times in the zone each
 * export was made in; the zone is named on a row when it is not the tenant's current one. Complete originals offer
 * "Re-create and verify".
 */
export async function exportLog(admin: CmeAdmin, page: number) {
  const [timeZone, activities, records] = await Promise.all([
    tenantTimeZone(admin.tenantId),
    exportActivities(admin.tenantId),
    CmeExportModel.find({ tenantId: admin.tenantId })
      .sort({ requestedAt: -1, _id: -1 })
      .skip((page - 1) * exportLogPageSize)
      .limit(exportLogPageSize + 1)
      .lean(),
  ]);
  const titles = new Map(activities.map((activity) => [activity.key, activity.title]));
  const rows = records.slice(0, exportLogPageSize).map((record) => {
    const status = record.status as ExportStatus;
    const zone = record.timeZone || timeZone;
    return {
      id: String(record._id),
      path: jobPath(record._id),
      requestedAt: shownAt(record.requestedAt, zone),
      otherZone: zone !== timeZone ? zone : '',
      requestedBy: personOf(record.requestedBy),
      formatLabel: exportFormatChoices[record.format as ExportFormat].label,
      filter: filterFacts(record.filter, titles)
        .map((fact) => `${fact.label}: ${fact.value}`)
        .join('; '),
      rowCount: record.rowCount != null ? count(record.rowCount) : '—',
      size: record.bytes != null && record.rowCount ? sizeOf(record.bytes) : '',
      sha256: record.sha256 ?? '',
      status,
      statusLabel: exportStatusLabels[status],
      failure: status === 'failed' ? record.failure : '',
      recreationOfPath: record.recreationOf ? jobPath(record.recreationOf) : '',
      verdict:
        record.recreationOf && status === 'complete'
          ? record.matchesRecorded
            ? 'matches'
            : 'does-not-match'
          : '',
      canRecreate: status === 'complete' && Boolean(record.sha256) && !record.recreationOf,
    };
  });
  return {
    timeZone,
    rows,
    page,
    previousPage: page > 1 ? page - 1 : 0,
    nextPage: records.length > exportLogPageSize ? page + 1 : 0,
  };
}
