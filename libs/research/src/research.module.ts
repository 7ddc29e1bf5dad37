import { Module } from '@nestjs/common';
import { ExportBuilder } from './application/export-builder';
import { ExportFiles } from './application/export-files';
import { ExportKeys } from './application/export-keys';
import { ResearchExports } from './application/research-exports';
import { ExportWorker } from './application/export-worker';
import { ExportsErasure } from './application/research-erasure';

/** Anonymised research exports: queued at creation, built in the background, streamed on download. */
@Module({
  providers: [ExportBuilder, ExportFiles, ExportKeys, ExportWorker, ResearchExports, ExportsErasure],
  exports: [ResearchExports, ExportFiles, ExportKeys, ExportWorker, ExportsErasure],
})
export class ResearchModule {}
