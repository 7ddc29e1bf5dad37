import { Logger } from '@nestjs/common';
import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import type { Response } from 'express';
import { dataPackage, ExportFileName, exportFileName, ExportFiles, ResearchExport } from '@praxis/research';

const TYPES: Record<ExportFileName, string> = {
  'events.ndjson': 'application/x-ndjson; charset=utf-8',
  'events.csv': 'text/csv; charset=utf-8; header=present',
  'datapackage.json': 'application/json; charset=utf-8',
};

const logger = new Logger('ExportDownload');

/**
 * Sends one of an export's files as an attachment, streamed with backpressure.
 * Once the first byte is out, a failure can only cut the connection: the
 * client sees a truncated download rather than a complete-looking file.
 */
export function sendExportFile(res: Response, files: ExportFiles, exp: ResearchExport, file: ExportFileName): void {
  res.status(200);
  res.setHeader('content-type', TYPES[file]);
  res.setHeader('content-disposition', `attachment; filename="${exportFileName(exp, file)}"`);
  if (file === 'datapackage.json') {
    res.send(JSON.stringify(dataPackage(exp), null, 2) + '\n');
    return;
  }
  const body: Readable = file === 'events.ndjson' ? files.ndjson(exp.id) : files.csv(exp.id);
  pipeline(body, res, (error) => {
    if (error && (error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE')
      logger.error(`export download failed: ${error.message}`);
  });
}
