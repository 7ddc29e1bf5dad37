import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedUser, CurrentUser, HiddenFromOtherRoles, Roles } from '@praxis/identity';
import { CreateExportDto, ExportFileName, ExportFiles, ResearchExports } from '@praxis/research';
import { sendExportFile } from './export-download';

/** A researcher's anonymised exports. Other roles get 404, as does another researcher's export. */
@Roles('researcher')
@HiddenFromOtherRoles()
@Controller('api/research/exports')
export class ResearchExportsController {
  constructor(
    private readonly exports: ResearchExports,
    private readonly files: ExportFiles,
  ) {}

  /** 202: the export is queued; its status (and, once ready, its files) are at Location. */
  @Post()
  @HttpCode(202)
  async create(
    @Body() body: CreateExportDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ id: string; status: string }> {
    const created = await this.exports.create(user.id, body.from, body.to);
    res.setHeader('location', `/api/research/exports/${created.id}`);
    return created;
  }

  @Get(':id')
  get(@Param('id') id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.exports.get(user.id, id);
  }

  @Get(':id/events.ndjson')
  ndjson(@Param('id') id: string, @CurrentUser() user: AuthenticatedUser, @Res() res: Response) {
    return this.send(id, user, res, 'events.ndjson');
  }

  @Get(':id/events.csv')
  csv(@Param('id') id: string, @CurrentUser() user: AuthenticatedUser, @Res() res: Response) {
    return this.send(id, user, res, 'events.csv');
  }

  @Get(':id/datapackage.json')
  datapackage(@Param('id') id: string, @CurrentUser() user: AuthenticatedUser, @Res() res: Response) {
    return this.send(id, user, res, 'datapackage.json');
  }

  private async send(id: string, user: AuthenticatedUser, res: Response, file: ExportFileName): Promise<void> {
    const exp = await this.exports.ready(user.id, id);
    sendExportFile(res, this.files, exp, file);
  }
}
