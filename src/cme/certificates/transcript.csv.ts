import { csvField } from '../core';
import type { Transcript } from './transcript.service';

/** The transcript CSV's header row, in order. */
export const transcriptColumns = [
  'Completion date',
  'Activity',
  'Activity version',
  'Provider',
  'ACCME activity ID',
  'Credit type',
  'Credits',
  'Certificate number',
  'Status',
  'Revoked on',
  'Reissue of',
] as const;

/**
 * The transcript as CSV: one row per certificate completed in the range, revoked ones included with their status
 * and revocation date (so the file adds up to the PDF's totals when revoked rows are left out). Dates are the
 * tenant-local calendar dates (`YYYY-MM-DD`); lines end in CRLF.
 */
export function transcriptCsv(transcript: Transcript): string {
  const lines = [transcriptColumns.map(csvField).join(',')];
  for (const row of transcript.rows) {
    lines.push(
      [
        row.completionDate,
        row.activityTitle,
        row.activityVersion,
        row.providerName,
        row.accmeActivityId,
        row.creditTypeLabel,
        row.amountText,
        row.number,
        row.revoked ? 'revoked' : 'valid',
        row.revokedDate ?? '',
        row.reissueOfNumber ?? '',
      ]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
