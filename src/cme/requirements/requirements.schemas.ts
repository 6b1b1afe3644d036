import { z } from 'zod';

/** A post-test or evaluation form: the `answerN` fields that are text (anything else is dropped). */
export const answersFormSchema = z
  .record(z.string(), z.unknown())
  .transform((fields) =>
    Object.fromEntries(
      Object.entries(fields).filter(
        (entry): entry is [string, string] =>
          /^answer\d{1,3}$/.test(entry[0]) && typeof entry[1] === 'string' && entry[1].length <= 8000,
      ),
    ),
  );

/** The activity key in a page's address. */
export const activityKeyParams = z.object({ key: z.string().max(100).catch('') });

/** The attempt a result page shows (`?attempt=`), when it names one. */
export const attemptQuery = z.object({
  attempt: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});
