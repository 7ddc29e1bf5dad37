import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, HttpErrorFilter, RETRY_AFTER_SECONDS, toErrorBody } from '@praxis/common';
import { AccessRequest, CSRF_COOKIE, CsrfTokens, readCookie, setCookie } from '@praxis/identity';
import { isNoSuchRoute, renderNotFound, wantsPage } from './not-found-page';
import { nextPage, signInFor } from './next-page';
import { formPostedTo, ReflectionDrafts } from '../journal/reflection-draft';
import { PageRenderer } from './page-renderer';

/** Errors on web pages become pages: sign-in for 401, the form again for a throttled sign-in, an error page otherwise. */
@Catch()
@Injectable()
export class PageErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('PageErrorFilter');
  private readonly json = new HttpErrorFilter();

  constructor(
    private readonly pages: PageRenderer,
    private readonly drafts: ReflectionDrafts,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<AccessRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    // The new reflection's save, refused because the session has ended: nothing was saved, and the text goes with
    // the sign-in form, sealed for its author, so that signing in as them gives it back (reflection-draft.ts).
    const draft = isRefusedDraft(req, exception)
      ? this.drafts.seal(req.body, formPostedTo(req.path, req.body))
      : undefined;
    if (draft) {
      // A browser that lost its cookies too needs a CSRF seed for the sign-in form to work.
      if (!readCookie(req, CSRF_COOKIE)) {
        req.csrfSeed = CsrfTokens.newSeed();
        setCookie(req, res, CSRF_COOKIE, req.csrfSeed);
      }
      this.pages.render(req, res, 'login', { title: 'Sign in', email: '', next: req.path, draft }, 401);
      return;
    }
    if (exception instanceof DomainError && exception.kind === 'unauthenticated') {
      res.redirect(303, req.method === 'GET' ? signInFor(req.originalUrl) : '/login');
      return;
    }
    const body = toErrorBody(exception);
    if (body.statusCode === 503) {
      // The database is away: a short page that asks the person to try again, rendered without it.
      this.logger.warn(`page answered 503: ${exception instanceof Error ? exception.message : String(exception)}`);
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      res.status(503).render('unavailable', { retryAfter: RETRY_AFTER_SECONDS, path: req.path });
      return;
    }
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    if (body.statusCode === 429 && req.path === '/login') {
      const draft = this.drafts.carried(req.body);
      this.pages.render(
        req,
        res,
        'login',
        {
          title: 'Sign in',
          error: message,
          email: emailOf(req),
          next: nextPage((req.body as Record<string, unknown> | undefined)?.next),
          draft,
        },
        429,
      );
      return;
    }
    // A page hidden from the caller's role answers exactly as an address with no page would: the same page for a
    // browser, the same JSON for anything else.
    if (isNoSuchRoute(exception)) return wantsPage(req) ? renderNotFound(res) : this.json.catch(exception, host);
    const heading = headingOf(exception, body.statusCode);
    this.pages.render(
      req,
      res,
      'error',
      { title: heading, statusCode: body.statusCode, error: heading, message },
      body.statusCode,
    );
  }
}

/** An error page's heading in a person's words (the API's JSON keeps HTTP's own names: "Gone", "Forbidden"…). */
const HEADINGS: Record<number, string> = {
  400: 'That could not be used',
  403: 'Not allowed',
  404: 'Not found',
  409: 'That clashes with something already there',
  410: 'This link no longer works',
  413: 'That was too large',
  429: 'Too many tries',
};

function headingOf(exception: unknown, status: number): string {
  if (exception instanceof DomainError && exception.code === 'AUTH.CSRF') return 'This form has expired';
  return HEADINGS[status] ?? 'Something went wrong';
}

/** A post of a reflection form refused for want of a session: none, or not the one the form was opened in. */
function isRefusedDraft(req: AccessRequest, exception: unknown): boolean {
  return (
    req.method === 'POST' &&
    formPostedTo(req.path, req.body) !== undefined &&
    exception instanceof DomainError &&
    (exception.kind === 'unauthenticated' || exception.code === 'AUTH.CSRF')
  );
}

function emailOf(req: AccessRequest): string {
  const email = (req.body as Record<string, unknown> | undefined)?.email;
  return typeof email === 'string' ? email.slice(0, 254) : '';
}
