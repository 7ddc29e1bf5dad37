import { Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { Roles } from '@praxis/identity';
import { ReadModelRebuilder, RebuildStatus } from '@praxis/projections';

/** Rebuilds every read model from the log, beside the live tables, while the service keeps answering. */
@Roles('admin')
@Controller('api/admin/projections/rebuild')
export class ProjectionsAdminController {
  constructor(private readonly rebuilder: ReadModelRebuilder) {}

  /**
   * 202: the rebuild runs in the background (a second request joins the running
   * one); 409 while another process rebuilds. GET shows how it went.
   */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  rebuild(): Promise<{ started: boolean; projections: string[] }> {
    return this.rebuilder.start();
  }

  @Get()
  status(): RebuildStatus {
    return this.rebuilder.status();
  }
}
