import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { Clock, dateOf, dayOfInstant, DomainError } from '@praxis/common';
import { AccessRequest, Roles, WebPage } from '@praxis/identity';
import {
  AmendReflectionCommand,
  CODE_LISTS,
  JournalFilter,
  JournalQueries,
  JournalSearch,
  RecordReflectionCommand,
  WithdrawReflectionCommand,
} from '@praxis/journal';
import { PageErrorFilter } from '../pages/page-error.filter';
import { PageRenderer } from '../pages/page-renderer';
import { FormBody, formValues, validateAmend, validateNew, withoutUnchangedText } from './reflection-form';
import { reflectionsCsv } from './reflection-display';
import { ReflectionPageViews } from './reflection-page-views';

/** Every code list the form shows, with labels and hints. */
export const CODES = CODE_LISTS;
const PAGE_SIZE = 25;

/** The worker's journal pages: they work without JavaScript; every form post is CSRF-checked by the guard. */
@WebPage()
@Roles('worker')
@UseFilters(PageErrorFilter)
@Controller('journal')
export class JournalPagesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: JournalQueries,
    private readonly search: JournalSearch,
    private readonly pages: PageRenderer,
    private readonly clock: Clock,
    private readonly views: ReflectionPageViews,
  ) {}

  @Get()
  async list(@Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const query = req.query as Record<string, unknown>;
    const values = Object.fromEntries(
      ['from', 'to', 'rung', 'pressure', 'challenge', 'q'].map((name) => [name, query[name] ?? '']),
    );
    let filter: JournalFilter;
    try {
      filter = JournalSearch.filterOf(query);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return this.pages.render(
        req,
        res,
        'journal/list',
        { title: 'My journal', codes: CODES, filter: values, filterError: error.message, page: null },
        400,
      );
    }
    const at = {
      older: typeof query.older === 'string' ? query.older : undefined,
      newer: typeof query.newer === 'string' ? query.newer : undefined,
    };
    const page = await this.search.page(req.user!.id, filter, PAGE_SIZE, at);
    const filtered = Object.keys(filter).length > 0;
    const link = (extra: Record<string, string>) =>
      `/journal?${new URLSearchParams({ ...(filter as Record<string, string>), ...extra }).toString()}`;
    this.pages.render(req, res, 'journal/list', {
      title: 'My journal',
      page,
      codes: CODES,
      filter: values,
      filtered,
      olderLink: page.older ? link({ older: page.older }) : null,
      newerLink: page.newer ? link({ newer: page.newer }) : null,
      csvLink: `/journal/export.csv${filtered ? `?${new URLSearchParams(filter as Record<string, string>).toString()}` : ''}`,
      saved: req.query.saved === '1',
      withdrawn: req.query.withdrawn === '1',
    });
  }

  /** My reflections (the filtered ones, if a filter is given) as a CSV file, for a spreadsheet or supervision. */
  @Get('export.csv')
  async exportCsv(@Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const filter = JournalSearch.filterOf(req.query as Record<string, unknown>);
    const reflections = await this.search.all(req.user!.id, filter);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', 'attachment; filename="praxis-my-reflections.csv"');
    res.send(reflectionsCsv(reflections));
  }

  @Get('new')
  newForm(@Req() req: AccessRequest, @Res() res: Response): void {
    this.renderForm(req, res, {
      values: { ...formValues(undefined), occurredOn: dateOf(dayOfInstant(this.clock.now())) },
      submissionId: randomUUID(),
    });
  }

  @Post('new')
  async create(@Body() body: FormBody, @Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const { dto, errors } = await validateNew(body, this.clock.now());
    const submissionId = typeof body.submissionId === 'string' && body.submissionId ? body.submissionId : randomUUID();
    if (!dto) return this.renderForm(req, res, { values: formValues(body), errors, submissionId }, 400);
    // The form's submission id is the idempotency key: a double submit records one reflection.
    const { id } = await this.commands.execute(new RecordReflectionCommand(req.user!, dto, `form:${submissionId}`));
    res.redirect(303, `/journal/${id}?saved=1`);
  }

  @Get(':id')
  async show(@Param('id') id: string, @Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    await this.renderShow(req, res, id, {
      saved: req.query.saved === '1',
      amended: req.query.amended === '1',
      unchanged: req.query.unchanged === '1',
    });
  }

  private async renderShow(
    req: AccessRequest,
    res: Response,
    id: string,
    extra: Record<string, unknown>,
    status = 200,
    /** After a conflict: the version the person's page was opened at, so the page lists what was saved since. */
    openedVersion?: number,
  ): Promise<void> {
    this.pages.render(req, res, 'journal/show', await this.views.show(req.user!.id, id, extra, openedVersion), status);
  }

  @Post(':id')
  async amend(
    @Param('id') id: string,
    @Body() body: FormBody,
    @Req() req: AccessRequest,
    @Res() res: Response,
  ): Promise<void> {
    const current = await this.queries.get(req.user!.id, id); // someone else's, or none: 404 before anything is checked
    const { dto, errors } = await validateAmend(omit(body, ['version', 'submissionId']), this.clock.now());
    const version = Number(one(body.version));
    // The page again, with what was typed kept — and, unless it was a conflict (which the page then explains), the
    // version the person's page was opened at, so a change made elsewhere meanwhile still answers 409 next time.
    const renderAgain = (errs: Record<string, string>, status: number, conflict?: string) =>
      this.renderShow(
        req,
        res,
        id,
        { values: formValues(body), errors: errs, conflict, version: conflict ? undefined : one(body.version) },
        status,
        conflict && Number.isInteger(version) ? version : undefined,
      );
    if (!dto) return renderAgain(errors, 400);
    let saved: { version: number };
    try {
      saved = await this.commands.execute(
        new AmendReflectionCommand(
          req.user!.id,
          id,
          Number.isInteger(version) ? version : -1,
          withoutUnchangedText(dto, current),
        ),
      );
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'conflict') return renderAgain({}, 409, error.message);
      throw error;
    }
    // Nothing differed from the saved reflection: no new version, and the page says so rather than "saved".
    res.redirect(303, `/journal/${id}?${saved.version === current.version ? 'unchanged' : 'amended'}=1`);
  }

  /** The withdrawal's address, opened (a reload after a refusal, a bookmark): the reflection's page, at the form. */
  @Get(':id/withdraw')
  withdrawPage(@Param('id') id: string, @Res() res: Response): void {
    res.redirect(303, `/journal/${encodeURIComponent(id)}#withdraw`);
  }

  @Post(':id/withdraw')
  async withdraw(
    @Param('id') id: string,
    @Body() body: FormBody,
    @Req() req: AccessRequest,
    @Res() res: Response,
  ): Promise<void> {
    // It cannot be undone: only with the box ticked (the page asks again, without JavaScript, if it was not).
    if (one(body.confirm) !== 'yes')
      return this.renderShow(
        req,
        res,
        id,
        { withdrawError: 'Tick the box to confirm that you want to withdraw this reflection' },
        400,
      );
    await this.commands.execute(new WithdrawReflectionCommand(req.user!.id, id));
    res.redirect(303, '/journal?withdrawn=1');
  }

  private renderForm(
    req: AccessRequest,
    res: Response,
    data: { submissionId: string } & Record<string, unknown>,
    status = 200,
  ): void {
    this.pages.render(req, res, 'journal/new', this.views.newForm(req.user!.id, data), status);
  }
}

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const omit = (body: FormBody, keys: string[]): FormBody =>
  Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));
