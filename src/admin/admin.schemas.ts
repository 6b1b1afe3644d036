import { z } from 'zod';

/** The add-platform form's fields, in the order the page shows them. */
export const platformFormFields = [
  'name',
  'issuer',
  'clientId',
  'deploymentId',
  'authUrl',
  'tokenUrl',
  'jwksUrl',
] as const;
export type PlatformFormField = (typeof platformFormFields)[number];

const text = (missing: string, max = 500) =>
  z.string({ error: missing }).trim().min(1, missing).max(max, `Keep it under ${max} characters.`);

function isWebUrl(value: string, httpsOnly: boolean): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (!httpsOnly && url.protocol === 'http:');
  } catch {
    return false;
  }
}

/** A URL field: required, http(s), and https only when `httpsOnly` (everywhere but development and tests). */
const webUrl = (what: string, httpsOnly: boolean) =>
  text(`Enter the ${what}.`).refine(
    (value) => isWebUrl(value, httpsOnly),
    httpsOnly
      ? `Enter the ${what} as a URL starting with https://.`
      : `Enter the ${what} as a URL starting with https:// or http://.`,
  );

/** Every field of the add-platform form is required; URLs must be http(s), https outside development. */
export function addPlatformSchema(options: { httpsOnly: boolean }) {
  const { httpsOnly } = options;
  return z.object({
    name: text('Enter a name for this LMS.', 120),
    issuer: webUrl('issuer (Platform ID)', httpsOnly),
    clientId: text('Enter the client ID.', 255),
    deploymentId: text('Enter the deployment ID.', 255),
    authUrl: webUrl('authentication request URL', httpsOnly),
    tokenUrl: webUrl('access token URL', httpsOnly),
    jwksUrl: webUrl('public keyset URL', httpsOnly),
  });
}
export type AddPlatformInput = z.infer<ReturnType<typeof addPlatformSchema>>;

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
