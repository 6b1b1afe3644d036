import { z } from 'zod';

const text = (missing: string, max: number) =>
  z.string({ error: missing }).trim().min(1, missing).max(max, `Keep it under ${max} characters.`);

/** One deployment ID, as typed into a platform's "Add a deployment ID" field or sent by its remove button. */
export const deploymentSchema = z.object({ deploymentId: text('Enter the deployment ID.', 255) });
