import { z } from 'zod';

const text = (missing: string, max: number) =>
  z.string({ error: missing }).trim().min(1, missing).max(max, `Keep it under ${max} characters.`);

/** The same check as `npx rounds platform …`: an absolute http(s) URL (the CLI's `isHttpUrl`). */
function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const httpUrl = (missing: string) =>
  text(missing, 2048).refine(isHttpUrl, 'Enter a full address starting with https:// (or http://).');

/** A form's optional text: a blank field is "not given", not an empty value. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Keep it under ${max} characters.`)
    .optional()
    .transform((value) => value || undefined);

const objectId = z.string().regex(/^[0-9a-f]{24}$/i);

/** One value or several (a form sends a lone checkbox as a string), always as a list. */
const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(item));

/** The name, endpoints and key set of a platform: what "Update endpoints" changes (`platform update`). */
export const endpointsSchema = z.object({
  name: text('Enter the name people know this LMS by.', 200),
  authUrl: httpUrl('Enter the authentication request URL.'),
  tokenUrl: httpUrl('Enter the access token URL.'),
  jwksUrl: httpUrl('Enter the public keyset URL.'),
});

/** "Add an LMS platform": the fields of `npx rounds platform add`, with the same checks. */
export const newPlatformSchema = z.object({
  issuer: httpUrl('Enter the issuer (platform ID), for example https://moodle.example.org.'),
  clientId: text('Enter the client ID the LMS gave Rounds.', 255),
  deploymentId: text('Enter the deployment ID.', 255),
  authUrl: httpUrl('Enter the authentication request URL.'),
  tokenUrl: httpUrl('Enter the access token URL.'),
  jwksUrl: httpUrl('Enter the public keyset URL.'),
  // Blank: the issuer's host, as the CLI does without --name.
  name: optionalText(200),
  // Tenants that outlived an earlier registration and that this one may take over (`--reuse-tenant`).
  reuseTenants: listOf(objectId),
});

/** One deployment ID, typed into "Add a deployment ID" or sent by a deployment's remove button. */
export const deploymentSchema = z.object({ deploymentId: text('Enter the deployment ID.', 255) });

/** Activate or deactivate. */
export const activeSchema = z.object({ active: z.enum(['yes', 'no']) });

/** A proposal's decision names the proposal the operator read, so a newer one is not approved unseen. */
export const decisionSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  proposedAt: z.iso.datetime(),
});

/** A platform's or a proposal's id in the path. */
export const idParamsSchema = z.object({ id: objectId });

export type NewPlatformInput = z.infer<typeof newPlatformSchema>;
export type EndpointsInput = z.infer<typeof endpointsSchema>;
