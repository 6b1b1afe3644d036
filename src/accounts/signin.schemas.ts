import { z } from 'zod';

/** The sign-in form. Emptiness is checked here; everything else is the service's (one answer for all). */
export const signInSchema = z.object({
  email: z.string().trim().min(1, 'Enter your e-mail address.').max(320, 'Enter your e-mail address.'),
  password: z.string().min(1, 'Enter your password.').max(1024, 'Enter your password.'),
});

/** The second-factor form: a 6-digit code or a recovery code (the service tells them apart). */
export const signInCodeSchema = z.object({
  code: z
    .string()
    .trim()
    .min(1, 'Enter the code from your app or a recovery code.')
    .max(64, 'That code is not right.'),
});

/** A one-time link's token in the path: base64url of 32 bytes. */
export const linkTokenSchema = z.string().regex(/^[\w-]{20,100}$/);

/** The set-password form: the new password twice. */
export const setPasswordSchema = z.object({
  password: z.string().max(4096, 'Use at most 256 characters.'),
  confirmation: z.string().max(4096),
});

/** The notices /signin shows after a redirect (`?done=`). */
export const signInNotices = {
  'password-set': 'Your password is set. Sign in with it.',
  'signed-out-everywhere': 'You are signed out everywhere. Sign in again to continue.',
} as const;
