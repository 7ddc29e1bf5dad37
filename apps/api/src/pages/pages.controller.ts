import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { InjectThrottlerStorage, SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import { SIGN_IN_ONLY } from '../auth/login-throttle';
import type { SignInCounts } from '../auth/sign-in-counts';
import type { Response } from 'express';
import { DomainError } from '@praxis/common';
import {
  AccessRequest,
  AuthService,
  clearCookie,
  CSRF_COOKIE,
  CsrfTokens,
  SESSION_COOKIE,
  SessionStore,
  setCookie,
  SignOutCommand,
  Public,
  WebPage,
} from '@praxis/identity';
import { ReflectionPageViews } from '../journal/reflection-page-views';
import { NEW_REFLECTION_PATH, ReflectionDrafts } from '../journal/reflection-draft';
import { formValues } from '../journal/reflection-form';
import { PageErrorFilter } from './page-error.filter';
import { nextPage } from './next-page';
import { PageRenderer } from './page-renderer';

interface LoginForm {
  email?: unknown;
  password?: unknown;
  next?: unknown;
}

/** Sign-in, sign-out and the signed-in start page. Every form post is CSRF-checked by the access guard. */
@WebPage()
@UseFilters(PageErrorFilter)
@Controller()
export class PagesController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionStore,
    private readonly pages: PageRenderer,
    private readonly commands: CommandBus,
    @InjectThrottlerStorage() private readonly counts: SignInCounts,
    private readonly drafts: ReflectionDrafts,
    private readonly views: ReflectionPageViews,
  ) {}

  @Get()
  home(@Req() req: AccessRequest, @Res() res: Response): void {
    this.pages.render(req, res, 'home', { title: 'Home', welcome: req.query.welcome === '1' });
  }

  @Public()
  @Get('login')
  loginForm(@Req() req: AccessRequest, @Res() res: Response): void {
    if (req.user) return res.redirect(303, '/');
    this.pages.render(req, res, 'login', {
      title: 'Sign in',
      email: '',
      signedOut: req.query.signedOut === '1',
      erased: req.query.erased === '1',
      reset: req.query.reset === '1',
      next: nextPage(req.query.next),
    });
  }

  @Public()
  @UseGuards(ThrottlerGuard)
  @SkipThrottle(SIGN_IN_ONLY)
  @Post('login')
  async login(@Body() form: LoginForm, @Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const email = typeof form.email === 'string' ? form.email.trim() : '';
    const password = typeof form.password === 'string' ? form.password : '';
    // A reflection typed before the session ended, carried here by the refused save: kept through every retry.
    const draft = this.drafts.carried(form);
    const errors: Record<string, string> = {};
    if (!email) errors.email = 'Enter your email address';
    if (!password) errors.password = 'Enter your password';
    if (Object.keys(errors).length)
      return this.pages.render(
        req,
        res,
        'login',
        { title: 'Sign in', email, errors, next: nextPage(form.next), draft },
        400,
      );
    let user;
    try {
      user = await this.auth.authenticate(email, password);
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'unauthenticated') {
        const again = { title: 'Sign in', email, error: error.message, next: nextPage(form.next), draft };
        return this.pages.render(req, res, 'login', again, 401);
      }
      throw error;
    }
    await this.counts.forgetAccount(email);
    await this.sessions.signInBrowser(req, res, user.id);
    // Only the person who wrote it gets it back, on the page it was typed on; anyone else signs in as usual.
    const own = draft && user.role === 'worker' ? this.drafts.open(draft, user.id) : undefined;
    if (own && nextPage(form.next) === own.page) {
      // The form again, filled in as it was left and not saved: the person checks it and saves it themselves.
      req.user = user;
      const restored = { values: formValues(own.body), restored: true };
      if (own.page === NEW_REFLECTION_PATH) {
        const submissionId = typeof own.body.submissionId === 'string' ? own.body.submissionId : randomUUID();
        return this.pages.render(req, res, 'journal/new', this.views.newForm(user.id, { ...restored, submissionId }));
      }
      const id = own.page.slice('/journal/'.length);
      const version = typeof own.body.version === 'string' ? own.body.version : undefined;
      return this.pages.render(req, res, 'journal/show', await this.views.show(user.id, id, { ...restored, version }));
    }
    res.redirect(303, nextPage(form.next) ?? '/');
  }

  @Get('logout')
  logoutForm(@Req() req: AccessRequest, @Res() res: Response): void {
    this.pages.render(req, res, 'logout', { title: 'Sign out' });
  }

  /** Public so that an already-expired session can still clear its cookie; the CSRF token is still required. Signs out everywhere. */
  @Public()
  @Post('logout')
  async logout(@Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    if (req.user) await this.commands.execute(new SignOutCommand(req.user.id));
    await this.sessions.end(req.sessionToken);
    clearCookie(req, res, SESSION_COOKIE);
    setCookie(req, res, CSRF_COOKIE, CsrfTokens.newSeed());
    res.redirect(303, '/login?signedOut=1');
  }
}
