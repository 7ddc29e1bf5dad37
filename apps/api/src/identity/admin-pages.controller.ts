import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { ConflictError, DomainError, isUuid } from '@praxis/common';
import {
  AccessRequest,
  CreateOrganisationCommand,
  CreateTeamCommand,
  HiddenFromOtherRoles,
  IdentityQueries,
  InviteResearcherCommand,
  isMemberRole,
  Roles,
  SendInvitationCommand,
  WebPage,
} from '@praxis/identity';
import { PageErrorFilter } from '../pages/page-error.filter';
import { PageRenderer } from '../pages/page-renderer';
import { parseInviteCsv } from './invite-csv';
import { INVITED_AGAIN, inviteOrResend } from './member-invitation';

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const NOTICES: Record<string, string> = {
  invited: 'Invitation sent. The person chooses their own password from the link in the mail.',
  'invited-all':
    'Invitations sent to everyone listed. Each person chooses their own password from the link in their mail.',
  resent: 'A new invitation is on its way; the old link no longer works.',
  reinvited: `They ${INVITED_AGAIN}.`,
  organisation: 'Organisation created.',
  team: 'Team created.',
};

/** The summary's one line for a list's problems; each is listed beside the box. */
const csvSummary = (errors: string[]): string =>
  errors.length === 1 ? errors[0] : `The list has ${errors.length} problems, shown under it; nobody was invited yet`;

/**
 * The admin's page: organisations, teams and people with where their
 * invitation stands (pending, sent, failed), inviting one person or a CSV of
 * many, and sending an invitation again. Works without JavaScript.
 */
@WebPage()
@Roles('admin')
@HiddenFromOtherRoles()
@UseFilters(PageErrorFilter)
@Controller('admin')
export class AdminPagesController {
  constructor(
    private readonly queries: IdentityQueries,
    private readonly commands: CommandBus,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async show(
    @Query('org') org: unknown,
    @Query('done') done: unknown,
    @Req() req: AccessRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.render(req, res, typeof org === 'string' ? org : undefined, {
      notice: typeof done === 'string' ? NOTICES[done] : undefined,
    });
  }

  @Post('organisations')
  async createOrganisation(
    @Body() form: { name?: unknown },
    @Req() req: AccessRequest,
    @Res() res: Response,
  ): Promise<void> {
    const name = text(form.name);
    if (!name || name.length > 200)
      return this.render(
        req,
        res,
        undefined,
        { errors: { orgName: 'Give the organisation a name (up to 200 characters)' } },
        400,
      );
    let created: { id: string };
    try {
      created = await this.commands.execute(new CreateOrganisationCommand(name, { actorId: req.user!.id }));
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === 'conflict')) throw error;
      return this.render(req, res, undefined, { errors: { orgName: error.message } }, 409);
    }
    res.redirect(303, `/admin?org=${created.id}&done=organisation`);
  }

  @Post('organisations/:orgId/teams')
  async createTeam(
    @Param('orgId') orgId: string,
    @Body() form: { name?: unknown },
    @Req() req: AccessRequest,
    @Res() res: Response,
  ): Promise<void> {
    const name = text(form.name);
    if (!name || name.length > 100)
      return this.render(req, res, orgId, { errors: { teamName: 'Give the team a name (up to 100 characters)' } }, 400);
    await this.attempt(
      req,
      res,
      orgId,
      'teamName',
      () => this.commands.execute(new CreateTeamCommand(orgId, name, { actorId: req.user!.id })),
      'team',
    );
  }

  @Post('organisations/:orgId/members')
  async invite(
    @Param('orgId') orgId: string,
    @Body() form: Record<string, unknown>,
    @Req() req: AccessRequest,
    @Res() res: Response,
  ): Promise<void> {
    const email = text(form.email);
    const role = text(form.role);
    const team = text(form.team);
    const errors: Record<string, string> = {};
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
      errors.email = 'Enter the person’s email address, like name@example.org';
    if (!isMemberRole(role)) errors.role = 'Choose worker or leader';
    if (team && !isUuid(team)) errors.team = 'Choose one of this organisation’s teams';
    if (Object.keys(errors).length) return this.render(req, res, orgId, { errors, form: { email, role, team } }, 400);
    const context = await this.invitationContext(req, orgId);
    let done = 'invited';
    await this.attempt(
      req,
      res,
      orgId,
      'email',
      async () => {
        const row = { email, role: role as 'worker' | 'leader', teamId: team || null };
        const outcome = await inviteOrResend(this.commands, context, row);
        if (outcome.kind === 'refused') throw new ConflictError('MEMBER.NOT_INVITED', `${email} ${outcome.reason}`);
        if (outcome.kind === 'resent') done = 'reinvited';
      },
      () => done,
    );
  }

  /** Many at once: every row is checked first, and if one is wrong nobody is invited. */
  @Post('organisations/:orgId/members/csv')
  async inviteMany(
    @Param('orgId') orgId: string,
    @Body() form: { csv?: unknown },
    @Req() req: AccessRequest,
    @Res() res: Response,
  ): Promise<void> {
    const teams = await this.queries.teams(orgId);
    const parsed = parseInviteCsv(text(form.csv), teams);
    if ('errors' in parsed)
      return this.render(
        req,
        res,
        orgId,
        { errors: { csv: csvSummary(parsed.errors) }, csvErrors: parsed.errors, csv: text(form.csv).slice(0, 20_000) },
        400,
      );
    const context = await this.invitationContext(req, orgId);
    const others: string[] = [];
    for (const row of parsed.rows) {
      const outcome = await inviteOrResend(this.commands, context, row);
      if (outcome.kind !== 'invited')
        others.push(`${row.email} ${outcome.kind === 'resent' ? INVITED_AGAIN : outcome.reason}.`);
    }
    if (others.length) {
      const invited = parsed.rows.length - others.length;
      const notice = `Invited ${invited} of the ${parsed.rows.length} listed for the first time. The others:`;
      return this.render(req, res, orgId, { notice, noticeList: others });
    }
    res.redirect(303, `/admin?org=${orgId}&done=invited-all`);
  }

  @Post('organisations/:orgId/members/:memberId/invitation')
  async sendAgain(
    @Param('orgId') orgId: string,
    @Param('memberId') memberId: string,
    @Req() req: AccessRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.attempt(
      req,
      res,
      orgId,
      'members',
      () =>
        this.commands.execute(
          new SendInvitationCommand(memberId, { organisationId: orgId }, { actorId: req.user!.id }),
        ),
      'resent',
    );
  }

  @Post('researchers')
  async inviteResearcher(
    @Body() form: { email?: unknown; org?: unknown },
    @Req() req: AccessRequest,
    @Res() res: Response,
  ): Promise<void> {
    const email = text(form.email);
    const org = text(form.org) || undefined;
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
      return this.render(
        req,
        res,
        org,
        { errors: { researcherEmail: 'Enter the researcher’s email address, like name@example.org' } },
        400,
      );
    }
    await this.attempt(req, res, org, 'researcherEmail', () =>
      this.commands.execute(new InviteResearcherCommand(email, { actorId: req.user!.id })),
    );
  }

  @Post('researchers/:id/invitation')
  async sendResearcherAgain(
    @Param('id') id: string,
    @Body() form: { org?: unknown },
    @Req() req: AccessRequest,
    @Res() res: Response,
  ): Promise<void> {
    const org = text(form.org) || undefined;
    await this.attempt(
      req,
      res,
      org,
      'researchers',
      () => this.commands.execute(new SendInvitationCommand(id, { role: 'researcher' }, { actorId: req.user!.id })),
      'resent',
    );
  }

  /** Runs a command; a refusal a person can act on (a taken email, a team name in use) is shown beside the form. */
  private async attempt(
    req: AccessRequest,
    res: Response,
    orgId: string | undefined,
    field: string,
    run: () => Promise<unknown>,
    done: string | (() => string) = 'invited',
  ): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (!(error instanceof DomainError) || !['invalid', 'conflict'].includes(error.kind)) throw error;
      const status = error.kind === 'conflict' ? 409 : 400;
      return this.render(
        req,
        res,
        orgId,
        { errors: { [field]: error.message }, form: req.body as Record<string, unknown> },
        status,
      );
    }
    res.redirect(303, `/admin${orgId ? `?org=${orgId}&` : '?'}done=${typeof done === 'string' ? done : done()}`);
  }

  /** Who is in the organisation already, read once for a form's every row. */
  private async invitationContext(req: AccessRequest, organisationId: string) {
    const [members, teams] = await Promise.all([
      this.queries.members(organisationId),
      this.queries.teams(organisationId),
    ]);
    return { organisationId, members, teams, actor: { actorId: req.user!.id } };
  }

  private async render(
    req: AccessRequest,
    res: Response,
    orgId: string | undefined,
    data: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const organisations = await this.queries.organisations();
    const selected = organisations.find((o) => o.id === orgId) ?? organisations[0];
    const teams = selected ? await this.queries.teams(selected.id) : [];
    const teamNames = new Map(teams.map((t) => [t.id, t.name]));
    const members = selected
      ? (await this.queries.members(selected.id)).map((m) => ({
          ...m,
          teamName: m.team ? teamNames.get(m.team) : undefined,
        }))
      : [];
    const researchers = await this.queries.researchers();
    this.pages.render(
      req,
      res,
      'admin',
      { title: 'Organisations and people', organisations, selected, teams, members, researchers, form: {}, ...data },
      status,
    );
  }
}
