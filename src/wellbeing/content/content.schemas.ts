import { z } from 'zod';
import type { ModuleImportOutcome } from './import.service';

const slug = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** `/admin/modules/:slug/pack.zip?version=N`. */
export const packDownloadSchema = z.object({
  slug: z.string().max(100).regex(slug),
  version: z.coerce.number().int().min(1).max(1_000_000).optional(),
});

const outcomePattern = /^([a-z0-9-]{1,100}):(new|updated|unchanged):(\d{1,7})$/;

/**
 * What an upload did, carried across its 303 in the query: `alpha:new:1,beta:updated:2`. Anything else reads as
 * nothing (a hand-made query shows no result, never an error).
 */
export function encodeOutcomes(outcomes: ModuleImportOutcome[]): string {
  return outcomes.map((o) => `${o.slug}:${o.status}:${o.version}`).join(',');
}

export function decodeOutcomes(query: unknown): ModuleImportOutcome[] {
  if (typeof query !== 'string' || query.length > 20_000) return [];
  const outcomes: ModuleImportOutcome[] = [];
  for (const part of query.split(',')) {
    const match = outcomePattern.exec(part);
    if (!match) return [];
    outcomes.push({
      slug: match[1]!,
      status: match[2] as ModuleImportOutcome['status'],
      version: Number(match[3]),
    });
  }
  return outcomes;
}
