import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'praxis_session';
export const CSRF_COOKIE = 'praxis_csrf';

/**
 * Secure when the request came over HTTPS (directly, or as a proxy says). A
 * client that claims HTTPS falsely only stops its own cookie being sent back
 * over plain HTTP, so trusting the header here cannot be abused.
 */
export function isHttps(req: Request): boolean {
  return (
    req.secure ||
    String(req.headers['x-forwarded-proto'] ?? '')
      .split(',')[0]
      .trim() === 'https'
  );
}

export function setCookie(req: Request, res: Response, name: string, value: string, expires?: Date): void {
  res.cookie(name, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: isHttps(req),
    path: '/',
    ...(expires ? { expires } : {}),
  });
}

export function clearCookie(req: Request, res: Response, name: string): void {
  res.clearCookie(name, { httpOnly: true, sameSite: 'lax', secure: isHttps(req), path: '/' });
}

export function readCookie(req: Request, name: string): string | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value.length > 0 && value.length <= 100 ? value : undefined;
}
