import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { AppConfig, calendarQuarterStart, Clock, dateOf, DomainError } from '@praxis/common';
import { AccessRequest, HiddenFromOtherRoles, Roles, WebPage } from '@praxis/identity';
import { ExportFileName, ExportFiles, latestClosedQuarterEnd, ResearchExports } from '@praxis/research';
import { PageErrorFilter } from '../pages/page-error.filter';
import { PageRenderer } from '../pages/page-renderer';
import { sendExportFile } from './export-download';

interface ExportForm {
  from?: unknown;
  to?: unknown;
}

/** The researcher's pages: create an export with a plain form, see its report, download its files. */
@WebPage()
@Roles('researcher')
@HiddenFromOtherRoles()
@UseFilters(PageErrorFilter)
@Controller('research')
export class ResearchPagesController {
  constructor(
    private readonly exports: ResearchExports,
    private readonly files: ExportFiles,
    private readonly pages: PageRenderer,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async index(@Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    await this.renderIndex(req, res, defaultRange(this.clock.now(), this.config.publishAfterDays), {});
  }

  /** The form's address, opened (a reload after an error, a bookmark): the form. */
  @Get('exports')
  list(@Res() res: Response): void {
    res.redirect(303, '/research');
  }

  @Post('exports')
  async create(@Body() form: ExportForm, @Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const from = typeof form.from === 'string' ? form.from.trim() : '';
    const to = typeof form.to === 'string' ? form.to.trim() : '';
    try {
      const { id } = await this.exports.create(req.user!.id, from, to);
      res.redirect(303, `/research/exports/${id}`);
    } catch (error) {
      // Each field at fault gets its own message beside it.
      const fields =
        error instanceof DomainError && error.kind === 'invalid'
          ? (error.details?.fields as Record<string, string> | undefined)
          : undefined;
      if (!fields) throw error;
      await this.renderIndex(req, res, { from, to }, fields, 400);
    }
  }

  @Get('exports/:id')
  async show(@Param('id') id: string, @Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const exp = await this.exports.get(req.user!.id, id);
    this.pages.render(req, res, 'research-export', { title: 'Export', exp, created: req.query.created === '1' });
  }

  @Get('exports/:id/events.ndjson')
  ndjson(@Param('id') id: string, @Req() req: AccessRequest, @Res() res: Response) {
    return this.send(id, req, res, 'events.ndjson');
  }

  @Get('exports/:id/events.csv')
  csv(@Param('id') id: string, @Req() req: AccessRequest, @Res() res: Response) {
    return this.send(id, req, res, 'events.csv');
  }

  @Get('exports/:id/datapackage.json')
  datapackage(@Param('id') id: string, @Req() req: AccessRequest, @Res() res: Response) {
    return this.send(id, req, res, 'datapackage.json');
  }

  private async send(id: string, req: AccessRequest, res: Response, file: ExportFileName): Promise<void> {
    sendExportFile(res, this.files, await this.exports.ready(req.user!.id, id), file);
  }

  private async renderIndex(
    req: AccessRequest,
    res: Response,
    range: { from: string; to: string },
    errors: Record<string, string>,
    status = 200,
  ) {
    const exports = await this.exports.list(req.user!.id);
    this.pages.render(
      req,
      res,
      'research',
      {
        title: 'Research exports',
        range,
        errors,
        exports,
        k: this.config.minCohort,
        graceDays: this.config.publishAfterDays,
      },
      status,
    );
  }
}

/** The last four whole quarters an export may hold now (closed, and the grace days past), as the form's start. */
function defaultRange(now: Date, graceDays: number): { from: string; to: string } {
  const to = latestClosedQuarterEnd(now, graceDays);
  return { from: dateOf(calendarQuarterStart(to, -3)), to };
}
