import { z } from 'zod';
import { exportFormats } from './export.model';

/** The kind of file asked for on the export form (its radios). */
export const exportFormatSchema = z.object({
  format: z.enum(exportFormats, { error: 'Choose the kind of file to make.' }),
});

/** A page number from a query: 1 when missing or nonsense (the log never fails on a bad page). */
export const exportLogQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

/** An export's id in a path: a 24-hex-digit ObjectId; anything else is a page that does not exist (404). */
export const exportIdSchema = z.string().regex(/^[0-9a-f]{24}$/i);

/** Whether the form's filters were applied (the GET form sent at least one of its fields). */
export function filtersApplied(query: unknown): boolean {
  const fields = (query ?? {}) as Record<string, unknown>;
  return ['from', 'to', 'activity', 'creditType', 'profession'].some((name) => name in fields);
}
