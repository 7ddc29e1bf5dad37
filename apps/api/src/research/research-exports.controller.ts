import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedUser, CurrentUser, HiddenFromOtherRoles, Roles } from '@praxis/identity';
import { CreateExportDto, ExportFiles, ResearchExports } from '@praxis/research';
import { ExportFile, sendExportFile } from './export-download';

/** A researcher's anonymised exports. Other roles get 404, as does another researcher's export. */
@Roles('researcher')
@HiddenFromOtherRoles()
@Controller('api/research/exports')
export class ResearchExportsController {
  constructor(
    private readonly exports: ResearchExports,
    private readonly files: ExportFiles,
  ) {}

  @Post()
  create(@Body() body: CreateExportDto, @CurrentUser() user: AuthenticatedUser): Promise<{ id: string }> {
    return this.exports.create(user.id, body.from, body.to);
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

  private async send(id: string, user: AuthenticatedUser, res: Response, file: ExportFile): Promise<void> {
    const exp = await this.exports.get(user.id, id);
    sendExportFile(res, this.files, exp, file);
  }
}
