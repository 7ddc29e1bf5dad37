import { Module } from '@nestjs/common';
import { ExportBuilder } from './application/export-builder';
import { ExportFiles } from './application/export-files';
import { ExportKeys } from './application/export-keys';
import { ResearchExports } from './application/research-exports';
import { ExportWorker } from './application/export-worker';

/** Anonymised research exports: queued at creation, built in the background, streamed on download. */
@Module({
  providers: [ExportBuilder, ExportFiles, ExportKeys, ExportWorker, ResearchExports],
  exports: [ResearchExports, ExportFiles, ExportKeys, ExportWorker],
})
export class ResearchModule {}
