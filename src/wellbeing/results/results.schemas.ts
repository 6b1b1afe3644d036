import { z } from 'zod';
import { recordIdPattern } from './vault.crypto';

/** A result id from a URL: the vault's random ids only (anything else is a 404, never a database query). */
export const resultIdSchema = z.string().regex(recordIdPattern);

/** An instrument id from a URL, before the library says whether it exists. */
export const instrumentParamSchema = z.string().regex(/^[a-z0-9-]{1,20}$/);

/**
 * Where a check was opened from inside a module: a player step path, and nothing else, so "Continue the module"
 * can never be turned into a redirect elsewhere (design.md).
 */
export const fromSchema = z.string().regex(/^\/modules\/[a-z0-9-]+\/steps\/\d{1,3}$/);

/** The `from` of a request, when valid; anything else is dropped. */
export function fromOf(value: unknown): string | undefined {
  const parsed = fromSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The delete form: the learner must tick that they understand before anything is deleted. */
export const deleteConfirmationSchema = z.object({
  confirm: z.literal('yes', {
    error: 'Tick the box to confirm that you want to delete all your self-check results.',
  }),
});
