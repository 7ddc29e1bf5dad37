import { Module } from '@nestjs/common';
import { ExportBuilder } from './application/export-builder';
import { ExportFiles } from './application/export-files';
import { ExportKeys } from './application/export-keys';
import { ResearchExports } from './application/research-exports';

/** Anonymised research exports: materialised at creation, streamed on download. */
@Module({
  providers: [ExportBuilder, ExportFiles, ExportKeys, ResearchExports],
  exports: [ResearchExports, ExportFiles, ExportKeys],
})
export class ResearchModule {}
