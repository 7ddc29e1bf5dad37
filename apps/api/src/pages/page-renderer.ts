import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { AccessRequest, CsrfTokens, CSRF_COOKIE, readCookie } from '@praxis/identity';

/**
 * Renders a page with what every page needs: the user, and a CSRF token for its forms. A page
 * answering a refusal (4xx) says so first in its title ("Error: …"), which is what a screen
 * reader announces on arrival.
 */
@Injectable()
export class PageRenderer {
  constructor(private readonly csrf: CsrfTokens) {}

  render(req: AccessRequest, res: Response, view: string, data: Record<string, unknown> = {}, status = 200): void {
    const seed = req.csrfSeed ?? readCookie(req, CSRF_COOKIE);
    const csrfToken = seed ? this.csrf.tokenFor(seed, req.sessionToken) : '';
    res.status(status).render(view, { ...data, user: req.user, csrfToken, path: req.path, failed: status >= 400 });
  }
}
