import { Body, Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import type { Response } from 'express';
import { Clock, DomainError } from '@praxis/common';
import {
  AccessRequest,
  ChangePasswordCommand,
  clearCookie,
  Roles,
  SESSION_COOKIE,
  SessionStore,
  WebPage,
} from '@praxis/identity';
import {
  ErasePersonalDataCommand,
  JournalQueries,
  JournalRepository,
  SetResearchConsentCommand,
} from '@praxis/journal';
import { PageErrorFilter } from '../pages/page-error.filter';
import { ACCOUNT_LINKS_ONLY } from '../auth/login-throttle';
import { newPasswordErrors, PASSWORD_FIELDS } from '../pages/account-pages.controller';
import { PageRenderer } from '../pages/page-renderer';

/** "My account": everyone's password; for a worker also research consent, a download of everything, and erasure. */
@WebPage()
@UseFilters(PageErrorFilter)
@Controller('me')
export class MyDataPagesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly repository: JournalRepository,
    private readonly queries: JournalQueries,
    private readonly pages: PageRenderer,
    private readonly clock: Clock,
    private readonly sessions: SessionStore,
  ) {}

  @Get()
  async show(@Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    await this.renderPage(req, res, {
      changed: req.query.changed === '1',
      passwordChanged: req.query.password === 'changed',
    });
  }

  /** Any role. The new password ends every other session and token; this browser gets a fresh session. */
  @UseGuards(ThrottlerGuard)
  @SkipThrottle(ACCOUNT_LINKS_ONLY)
  @Post('password')
  async password(
    @Body() form: { currentPassword?: unknown; password?: unknown; confirm?: unknown },
    @Req() req: AccessRequest,
    @Res() res: Response,
  ): Promise<void> {
    const current = typeof form.currentPassword === 'string' ? form.currentPassword : '';
    const { password, errors: newErrors } = newPasswordErrors(form);
    // In the form's order: the current password first.
    const errors: Record<string, string> = current ? {} : { currentPassword: 'Enter your current password' };
    Object.assign(errors, newErrors);
    // The current password is checked with the change itself, so only once the new one is acceptable; the page says so.
    const currentUnchecked = Boolean(current && newErrors);
    if (!Object.keys(errors).length) {
      try {
        await this.commands.execute(new ChangePasswordCommand(req.user!.id, current, password));
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'ACCOUNT.CURRENT_PASSWORD_WRONG')) throw error;
        errors.currentPassword = 'That is not your current password';
      }
    }
    if (Object.keys(errors).length) return this.renderPage(req, res, { passwordErrors: errors, currentUnchecked }, 400);
    // Every session ended with the old password; this browser gets a new one.
    await this.sessions.signInBrowser(req, res, req.user!.id);
    res.redirect(303, '/me?password=changed');
  }

  @Roles('worker')
  @Post('consent')
  async consent(
    @Body() body: { granted?: string; confirm?: string },
    @Req() req: AccessRequest,
    @Res() res: Response,
  ): Promise<void> {
    // Stopping takes every reflection written so far out of research for good: only with the box ticked.
    const stopping = body.granted !== 'yes';
    const agreed = (await this.repository.loadPerson(req.user!.id)).state.consent;
    if (stopping && agreed && body.confirm !== 'stop')
      return this.renderPage(
        req,
        res,
        { consentError: 'Tick the box to confirm that your reflections so far leave research for good' },
        400,
      );
    await this.commands.execute(new SetResearchConsentCommand(req.user!.id, body.granted === 'yes'));
    res.redirect(303, '/me?changed=1');
  }

  @Roles('worker')
  @Get('export.json')
  async export(@Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const person = await this.repository.loadPerson(req.user!.id);
    const body = await this.queries.personalExport(req.user!, person.state, this.clock.now());
    res.setHeader('content-disposition', 'attachment; filename="praxis-my-data.json"');
    res.json(body);
  }

  @Roles('worker')
  @Post('erase')
  async erase(@Body() body: { confirm?: string }, @Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    if (body.confirm !== 'erase') {
      return this.renderPage(req, res, { eraseError: 'Tick the box to confirm that you want everything erased' }, 400);
    }
    await this.commands.execute(new ErasePersonalDataCommand(req.user!.id));
    clearCookie(req, res, SESSION_COOKIE);
    res.redirect(303, '/login?erased=1');
  }

  private async renderPage(
    req: AccessRequest,
    res: Response,
    data: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const worker = req.user!.role === 'worker';
    const consent = worker ? (await this.repository.loadPerson(req.user!.id)).state : undefined;
    this.pages.render(
      req,
      res,
      'journal/my-data',
      { title: worker ? 'My data' : 'My account', consent, ...PASSWORD_FIELDS, ...data },
      status,
    );
  }
}
