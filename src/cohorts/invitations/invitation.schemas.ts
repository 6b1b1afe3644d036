import { z } from 'zod';

/** The invite form on /cohorts/:cohortId/invitations. */
export const inviteFormSchema = z.object({
  name: z
    .string({ error: 'Enter the mentor’s name.' })
    .trim()
    .min(1, 'Enter the mentor’s name.')
    .max(120, 'Use at most 120 characters for the name.'),
  email: z
    .string({ error: 'Enter the mentor’s e-mail address.' })
    .trim()
    .min(1, 'Enter the mentor’s e-mail address.')
    .max(320, 'Enter an e-mail address such as name@hospital.org.')
    .pipe(z.email('Enter an e-mail address such as name@hospital.org.'))
    .transform((email) => email.toLowerCase()),
});
export type InviteForm = z.infer<typeof inviteFormSchema>;

/**
 * The new-account form of an invitation: their name and a password twice. Passwords are never trimmed; the
 * length and blocklist rules are the accounts' (passwordProblem), the bound here only keeps a request small.
 */
export const newAccountFormSchema = z.object({
  name: z
    .string({ error: 'Enter your name.' })
    .trim()
    .min(1, 'Enter your name.')
    .max(120, 'Use at most 120 characters for your name.'),
  password: z
    .string({ error: 'Choose a password.' })
    .min(1, 'Choose a password.')
    .max(4096, 'Use at most 256 characters.'),
  confirmation: z
    .string({ error: 'Enter the password again.' })
    .min(1, 'Enter the password again.')
    .max(4096, 'Enter the password again.'),
});
export type NewAccountForm = z.infer<typeof newAccountFormSchema>;

/** An invitation link's token in the path: base64url of 32 random bytes. */
export const invitationTokenSchema = z.string().regex(/^[\w-]{43}$/);
