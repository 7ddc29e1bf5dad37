import { Catch, ExceptionFilter, ArgumentsHost, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { HttpErrorFilter, toErrorBody } from '@praxis/common';
import { AccessRequest } from '@praxis/identity';
import { PageRenderer } from './page-renderer';

/** What a person reads at an address with no page (or a page hidden from their role: the same, so nothing leaks). */
export const NOT_FOUND_PAGE = {
  error: 'Page not found',
  message: 'There is no page at this address. Check the link, or go to the start page.',
};

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

  constructor(private readonly pages: PageRenderer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<AccessRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    const wantsPage = !req.path.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html');
    if (wantsPage && isNoSuchRoute(exception)) {
      this.pages.render(req, res, 'error', NOT_FOUND_PAGE, 404);
      return;
    }
    this.json.catch(exception, host);
  }
}
