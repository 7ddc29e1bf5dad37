import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Database } from '@praxis/common';
import { ProjectionMonitor, ProjectionStatus } from '@praxis/event-store';
import { Public } from '@praxis/identity';

interface HealthBody {
  status: 'ok' | 'unavailable';
  database: { status: 'up' | 'down'; embedded: boolean; latencyMs?: number; error?: string };
  projections: ProjectionStatus[];
}

const TIMEOUT_MS = 2000;

@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly database: Database,
    private readonly monitor: ProjectionMonitor,
  ) {}

  /** 200 with database status and each projection's lag; 503 when the database does not answer. */
  @Get()
  async health(@Res() res: Response): Promise<void> {
    const started = Date.now();
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), TIMEOUT_MS);
      const projections = await withTimeout(this.monitor.statuses(), TIMEOUT_MS);
      const body: HealthBody = {
        status: 'ok',
        database: { status: 'up', embedded: this.database.embedded, latencyMs: Date.now() - started },
        projections,
      };
      res.status(HttpStatus.OK).json(body);
    } catch (error) {
      const body: HealthBody = {
        status: 'unavailable',
        database: { status: 'down', embedded: this.database.embedded, error: (error as Error).message },
        projections: [],
      };
      res.status(HttpStatus.SERVICE_UNAVAILABLE).json(body);
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the database within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
