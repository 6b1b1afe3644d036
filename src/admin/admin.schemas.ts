import { z } from 'zod';

const text = (missing: string, max: number) =>
  z.string({ error: missing }).trim().min(1, missing).max(max, `Keep it under ${max} characters.`);

/** One deployment ID, as typed into a platform's "Add a deployment ID" field or sent by its remove button. */
export const deploymentSchema = z.object({ deploymentId: text('Enter the deployment ID.', 255) });

/** The first message for each field that failed, keyed by field name (what the form shows beside each input). */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message;
  }
  return errors;
}
