import { Body, Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { InjectThrottlerStorage, SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import type { Response } from 'express';
import {
  AcceptInvitationCommand,
  AccessRequest,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_RULE,
  ConfirmPasswordResetCommand,
  LinkQueries,
  RequestPasswordResetCommand,
  SessionStore,
  Public,
  WebPage,
} from '@praxis/identity';
import { ACCOUNT_LINKS_ONLY } from '../auth/login-throttle';
import type { SignInCounts } from '../auth/sign-in-counts';
import { PageErrorFilter } from './page-error.filter';
import { PageRenderer } from './page-renderer';

interface PasswordForm {
  password?: unknown;
  confirm?: unknown;
}

export const PASSWORD_FIELDS = {
  passwordRule: PASSWORD_RULE,
  passwordMin: PASSWORD_MIN_LENGTH,
};

/** What is wrong with a new password and its confirmation, as a person reads it beside the fields. */
export function newPasswordErrors(form: PasswordForm): { password: string; errors?: Record<string, string> } {
  const password = typeof form.password === 'string' ? form.password : '';
  const length = [...password].length;
  const errors: Record<string, string> = {};
  if (length === 0) errors.password = 'Choose a password';
  else if (length < PASSWORD_MIN_LENGTH)
    errors.password = `Your password must be at least ${PASSWORD_MIN_LENGTH} characters (it has ${length})`;
  else if (length > PASSWORD_MAX_LENGTH)
    errors.password = `Your password must be at most ${PASSWORD_MAX_LENGTH} characters`;
  // Said with a length problem too, so one more try can fix both.
  if ((password || form.confirm) && form.confirm !== password)
    errors.confirmPassword = 'The two passwords are not the same: type the new password again';
  return { password, errors: Object.keys(errors).length ? errors : undefined };
}

/** Invitations and "forgot password": public pages that work without JavaScript, every post CSRF-checked by the access guard. */
@WebPage()
@Public()
@UseFilters(PageErrorFilter)
@Controller()
export class AccountPagesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly links: LinkQueries,
    private readonly sessions: SessionStore,
    private readonly pages: PageRenderer,
    @InjectThrottlerStorage() private readonly counts: SignInCounts,
  ) {}

  @Get('invitations/:token')
  async invitation(@Param('token') token: string, @Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const { email } = await this.links.invitation(token);
    this.pages.render(req, res, 'account/invitation', {
      title: 'Choose your password',
      token,
      email,
      ...PASSWORD_FIELDS,
    });
  }

  @UseGuards(ThrottlerGuard)
  @SkipThrottle(ACCOUNT_LINKS_ONLY)
  @Post('invitations/:token')
  async accept(
    @Param('token') token: string,
    @Body() form: PasswordForm,
    @Req() req: AccessRequest,
    @Res() res: Response,
  ): Promise<void> {
    const { email } = await this.links.invitation(token);
    const { password, errors } = newPasswordErrors(form);
    if (errors)
      return this.pages.render(
        req,
        res,
        'account/invitation',
        { title: 'Choose your password', token, email, errors, ...PASSWORD_FIELDS },
        400,
      );
    const user = await this.commands.execute(new AcceptInvitationCommand(token, password));
    await this.sessions.signInBrowser(req, res, user.id);
    res.redirect(303, '/?welcome=1');
  }

  @Get('password-reset')
  resetRequestForm(@Req() req: AccessRequest, @Res() res: Response): void {
    this.pages.render(req, res, 'account/reset-request', { title: 'Forgot your password?', email: '' });
  }

  /** The same page, at once, whether or not the address has an account. */
  @UseGuards(ThrottlerGuard)
  @SkipThrottle(ACCOUNT_LINKS_ONLY)
  @Post('password-reset')
  async requestReset(
    @Body() form: { email?: unknown },
    @Req() req: AccessRequest,
    @Res() res: Response,
  ): Promise<void> {
    const email = typeof form.email === 'string' ? form.email.trim() : '';
    if (!email || email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) {
      const errors = { email: email ? 'Enter an email address like name@example.org' : 'Enter your email address' };
      return this.pages.render(
        req,
        res,
        'account/reset-request',
        { title: 'Forgot your password?', email: email.slice(0, 254), errors },
        400,
      );
    }
    await this.commands.execute(new RequestPasswordResetCommand(email));
    this.pages.render(req, res, 'account/reset-request', { title: 'Forgot your password?', requested: true });
  }

  @Get('password-reset/:token')
  async resetForm(@Param('token') token: string, @Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    await this.links.passwordReset(token);
    this.pages.render(req, res, 'account/reset', { title: 'Choose a new password', token, ...PASSWORD_FIELDS });
  }

  @UseGuards(ThrottlerGuard)
  @SkipThrottle(ACCOUNT_LINKS_ONLY)
  @Post('password-reset/:token')
  async reset(
    @Param('token') token: string,
    @Body() form: PasswordForm,
    @Req() req: AccessRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.links.passwordReset(token);
    const { password, errors } = newPasswordErrors(form);
    if (errors)
      return this.pages.render(
        req,
        res,
        'account/reset',
        { title: 'Choose a new password', token, errors, ...PASSWORD_FIELDS },
        400,
      );
    const { email } = await this.commands.execute(new ConfirmPasswordResetCommand(token, password));
    await this.counts.forgetAccount(email);
    res.redirect(303, '/login?reset=1');
  }
}
