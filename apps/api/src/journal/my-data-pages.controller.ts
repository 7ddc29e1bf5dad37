import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { Clock } from '@praxis/common';
import { AccessRequest, clearCookie, Roles, SESSION_COOKIE, WebPage } from '@praxis/identity';
import { ErasePersonalDataCommand, JournalQueries, JournalRepository, SetResearchConsentCommand } from '@praxis/journal';
import { PageErrorFilter } from '../pages/page-error.filter';
import { PageRenderer } from '../pages/page-renderer';

/** "My data": research consent, a download of everything, and erasure — the worker's own controls. */
@WebPage()
@Roles('worker')
@UseFilters(PageErrorFilter)
@Controller('me')
export class MyDataPagesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly repository: JournalRepository,
    private readonly queries: JournalQueries,
    private readonly pages: PageRenderer,
    private readonly clock: Clock,
  ) {}

  @Get()
  async show(@Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const person = await this.repository.loadPerson(req.user!.id);
    this.pages.render(req, res, 'journal/my-data', { title: 'My data', consent: person.state, changed: req.query.changed === '1' });
  }

  @Post('consent')
  async consent(@Body() body: { granted?: string }, @Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    await this.commands.execute(new SetResearchConsentCommand(req.user!.id, body.granted === 'yes'));
    res.redirect(303, '/me?changed=1');
  }

  @Get('export.json')
  async export(@Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const person = await this.repository.loadPerson(req.user!.id);
    const body = await this.queries.personalExport(req.user!, person.state, this.clock.now());
    res.setHeader('content-disposition', 'attachment; filename="praxis-my-data.json"');
    res.json(body);
  }

  @Post('erase')
  async erase(@Body() body: { confirm?: string }, @Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    if (body.confirm !== 'erase') {
      const person = await this.repository.loadPerson(req.user!.id);
      return this.pages.render(req, res, 'journal/my-data', { title: 'My data', consent: person.state, eraseError: 'Tick the box to confirm that you want everything erased' }, 400);
    }
    await this.commands.execute(new ErasePersonalDataCommand(req.user!.id));
    clearCookie(req, res, SESSION_COOKIE);
    res.redirect(303, '/login?erased=1');
  }
}
