import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { DomainError } from '@praxis/common';
import { AccessRequest, Roles, WebPage } from '@praxis/identity';
import {
  AmendReflectionCommand,
  CHALLENGES,
  EMBEDDINGS,
  JournalQueries,
  LADDER,
  latestAllowedDate,
  MyTrends,
  PRESSURE,
  PRESSURE_SOURCES,
  PRINCIPLES,
  RECEPTIONS,
  ARGUMENTS,
  RecordReflectionCommand,
  STAGES,
  WithdrawReflectionCommand,
} from '@praxis/journal';
import { PageErrorFilter } from '../pages/page-error.filter';
import { PageRenderer } from '../pages/page-renderer';
import { FormBody, formValues, validateAmend, validateNew } from './reflection-form';

/** Every code list the form shows, with labels and hints. */
const CODES = { LADDER, PRESSURE, PRESSURE_SOURCES, CHALLENGES, PRINCIPLES, STAGES, EMBEDDINGS, ARGUMENTS, RECEPTIONS };

/** The worker's journal pages: they work without JavaScript; every form post is CSRF-checked by the guard. */
@WebPage()
@Roles('worker')
@UseFilters(PageErrorFilter)
@Controller('journal')
export class JournalPagesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: JournalQueries,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async list(@Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const cursor = typeof req.query.cursor === 'string' ? req.query.cursor : undefined;
    const page = await this.queries.list(req.user!.id, 25, cursor);
    this.pages.render(req, res, 'journal/list', { title: 'My journal', page, codes: CODES, saved: req.query.saved === '1', withdrawn: req.query.withdrawn === '1' });
  }

  @Get('new')
  newForm(@Req() req: AccessRequest, @Res() res: Response): void {
    this.renderForm(req, res, { values: { ...formValues(undefined), occurredOn: today() }, submissionId: randomUUID() });
  }

  @Post('new')
  async create(@Body() body: FormBody, @Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const { dto, errors } = await validateNew(body);
    const submissionId = typeof body.submissionId === 'string' && body.submissionId ? body.submissionId : randomUUID();
    if (!dto) return this.renderForm(req, res, { values: formValues(body), errors, submissionId }, 400);
    // The form's submission id is the idempotency key: a double submit records one reflection.
    const { id } = await this.commands.execute(new RecordReflectionCommand(req.user!, dto, `form:${submissionId}`));
    res.redirect(303, `/journal/${id}?saved=1`);
  }

  @Get(':id')
  async show(@Param('id') id: string, @Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const reflection = await this.queries.get(req.user!.id, id);
    const history = withTextChanges(await this.queries.history(req.user!.id, id));
    this.pages.render(req, res, 'journal/show', {
      title: `Reflection of ${reflection.occurredOn}`,
      reflection,
      history,
      values: formValues(reflection),
      codes: CODES,
      maxDate: latestAllowedDate(new Date()),
      saved: req.query.saved === '1',
      amended: req.query.amended === '1',
    });
  }

  @Post(':id')
  async amend(@Param('id') id: string, @Body() body: FormBody, @Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const reflection = await this.queries.get(req.user!.id, id);
    const { dto, errors } = await validateAmend(omit(body, ['version', 'submissionId']));
    const version = Number(one(body.version));
    const renderAgain = async (errs: Record<string, string>, status: number, conflict?: string) =>
      this.pages.render(
        req,
        res,
        'journal/show',
        {
          title: `Reflection of ${reflection.occurredOn}`,
          reflection,
          history: withTextChanges(await this.queries.history(req.user!.id, id)),
          values: formValues(body),
          errors: errs,
          conflict,
          codes: CODES,
          maxDate: latestAllowedDate(new Date()),
        },
        status,
      );
    if (!dto) return renderAgain(errors, 400);
    try {
      await this.commands.execute(new AmendReflectionCommand(req.user!.id, id, Number.isInteger(version) ? version : -1, dto));
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'conflict') return renderAgain({}, 409, error.message);
      throw error;
    }
    res.redirect(303, `/journal/${id}?amended=1`);
  }

  @Post(':id/withdraw')
  async withdraw(@Param('id') id: string, @Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    await this.commands.execute(new WithdrawReflectionCommand(req.user!.id, id));
    res.redirect(303, '/journal?withdrawn=1');
  }

  private renderForm(req: AccessRequest, res: Response, data: Record<string, unknown>, status = 200): void {
    this.pages.render(req, res, 'journal/new', { title: 'New reflection', codes: CODES, maxDate: latestAllowedDate(new Date()), ...data }, status);
  }
}

/** The worker's own trends page: a chart, and the same figures as a table. */
@WebPage()
@Roles('worker')
@UseFilters(PageErrorFilter)
@Controller('trends')
export class MyTrendsPageController {
  constructor(
    private readonly trends: MyTrends,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async show(@Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const granularity = req.query.granularity === 'quarter' ? 'quarter' : 'month';
    const trends = await this.trends.of(req.user!.id, granularity);
    const periods = trends.periods.map((p) => {
      const [code, count] = Object.entries(p.challenges).sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
      return { ...p, topChallenge: count ? { label: CHALLENGES.codes.find((c) => c.code === code)!.label, count } : null };
    });
    const byPressure = PRESSURE.codes.map((level) => {
      const cells = trends.periods.map((p) => p.rungByPressure.find((c) => c.pressure === level.code)!).filter((c) => c.count);
      const count = cells.reduce((n, c) => n + c.count, 0);
      const sum = cells.reduce((n, c) => n + c.count * (c.meanRung ?? 0), 0);
      return { ordinal: level.ordinal, label: level.label, count, meanRung: count ? Math.round((sum / count) * 100) / 100 : null };
    });
    this.pages.render(req, res, 'journal/trends', {
      title: 'My trends',
      trends: { ...trends, periods },
      byPressure,
      granularity,
      codes: CODES,
      chartData: JSON.stringify(trends),
    });
  }
}

/** For the history list: which personal fields an amendment changed (their text is shown on the page above). */
const withTextChanges = (history: { type: string; data: Record<string, unknown> }[]) =>
  history.map((h) => ({ ...h, textChanged: ['whatHappened', 'soWhat', 'nowWhat', 'tags'].filter((k) => k in h.data && h.type === 'ReflectionAmended') }));

const today = () => new Date().toISOString().slice(0, 10);
const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const omit = (body: FormBody, keys: string[]): FormBody => Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));
