import { ArgumentsHost, Catch, ExceptionFilter, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { HttpErrorFilter, toErrorBody } from '@praxis/common';

/** What a person reads at an address with no page (or a page hidden from their role: the same, so nothing leaks). */
const NOT_FOUND_PAGE = {
  error: 'Page not found',
  message: 'There is no page at this address. Check the link, or go to the start page.',
};

/**
 * The "Page not found" page, the same bytes for every address: rendered without the person signed in (an address
 * with no route never reaches the access guard, so its request has no user; a hidden one has), so that nothing on
 * it tells a route hidden from a role from one that does not exist.
 */
export function renderNotFound(res: Response): void {
  res.status(404).render('error', { ...NOT_FOUND_PAGE, title: NOT_FOUND_PAGE.error });
}

/** Whether the caller is a browser asking for a page (HTML, outside `/api`), not a client of the API. */
export function wantsPage(req: Request): boolean {
  return !req.path.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html');
}

/** No route here (Nest's "Cannot GET /x"), or one hidden from the caller's role, which answers the same. */
export function isNoSuchRoute(exception: unknown): boolean {
  const body = toErrorBody(exception);
  return body.statusCode === 404 && typeof body.message === 'string' && /^Cannot [A-Z]+ \//.test(body.message);
}

/**
 * The api's last word on errors: JSON (HttpErrorFilter), except that a browser
 * asking for a page at an address outside `/api` that has none gets a page
 * saying so, not a JSON body.
 */
@Catch()
@Injectable()
export class WebErrorFilter implements ExceptionFilter {
  private readonly json = new HttpErrorFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    if (wantsPage(req) && isNoSuchRoute(exception)) return renderNotFound(host.switchToHttp().getResponse<Response>());
    this.json.catch(exception, host);
  }
}
