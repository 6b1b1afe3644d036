import { z } from 'zod';

// Passwords are never trimmed: a space is a character like any other (NIST SP 800-63B §3.1.1.2). Their length
// rules live in password.service.ts; the bound here only keeps a crafted request small.
const password = (missing: string) => z.string({ error: missing }).min(1, missing).max(1024, missing);

/** The change-password form on /account. */
export const passwordChangeSchema = z.object({
  currentPassword: password('Enter your current password.'),
  newPassword: password('Enter a new password.'),
  confirmPassword: password('Enter the new password again.'),
});

/** A code typed into the enrol or regenerate form: 6 digits from the app (spaces allowed between them). */
export const totpCodeSchema = z.object({
  code: z
    .string({ error: 'Enter the 6-digit code your app shows.' })
    .trim()
    .min(1, 'Enter the 6-digit code your app shows.')
    .max(20, 'Enter the 6-digit code your app shows.')
    .regex(/^[\d\s]+$/, 'Enter the 6 digits your app shows, without letters.'),
});
