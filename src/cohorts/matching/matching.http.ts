import type { Request } from 'express';

/** A route parameter as a string ('' when absent): services check ids against the viewer's tenant themselves. */
export function paramOf(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

/** A text field of a posted form as typed ('' when absent or not text). */
export function typedText(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}
