import { z } from 'zod';

/**
 * The picker's form: the chosen targets (`kind:id`, one or several as the platform allows) or a cancel.
 * A single checked box arrives as a string, several as an array.
 */
export const deepLinkSelectionSchema = z.object({
  action: z.enum(['place', 'cancel']).default('place'),
  targets: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])),
});
export type DeepLinkSelection = z.infer<typeof deepLinkSelectionSchema>;
