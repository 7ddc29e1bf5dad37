import { Controller, Get, HttpStatus, Logger, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Database, RETRY_AFTER_SECONDS } from '@praxis/common';
import { ProjectionMonitor, ProjectionStatus } from '@praxis/event-store';
import { Public } from '@praxis/identity';
import { Lifecycle } from './lifecycle';

interface ReadinessBody {
  status: 'ok' | 'unavailable' | 'stopping';
  database: { status: 'up' | 'down'; embedded: boolean; latencyMs?: number; pendingMigrations?: number };
  projections: ProjectionStatus[];
}

const TIMEOUT_MS = 2000;

/**
 * Liveness (`/health/live`: the process answers) and readiness (`/health/ready`,
 * and `/health` as before: the database answers, every migration is applied, the
 * process is not stopping). A failure's reason goes to the log, never to the
 * public body.
 */
@Public()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');

  constructor(
    private readonly dataSource: DataSource,
    private readonly database: Database,
    private readonly monitor: ProjectionMonitor,
    private readonly lifecycle: Lifecycle,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  health(@Res() res: Response): Promise<void> {
    return this.ready(res);
  }

  @Get('ready')
  async ready(@Res() res: Response): Promise<void> {
    const embedded = this.database.embedded;
    if (this.lifecycle.stopping) {
      return this.unavailable(res, { status: 'stopping', database: { status: 'up', embedded }, projections: [] });
    }
    const started = performance.now();
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), TIMEOUT_MS);
      const latencyMs = Math.round(performance.now() - started);
      const pendingMigrations = await withTimeout(this.pendingMigrations(), TIMEOUT_MS);
      const projections = await withTimeout(this.monitor.statuses(), TIMEOUT_MS);
      const body: ReadinessBody = {
        status: 'ok',
        database: { status: 'up', embedded, latencyMs, pendingMigrations },
        projections,
      };
      if (pendingMigrations > 0) return this.unavailable(res, { ...body, status: 'unavailable' });
      res.status(HttpStatus.OK).json(body);
    } catch (error) {
      this.logger.warn(`not ready: ${(error as Error).message}`);
      return this.unavailable(res, { status: 'unavailable', database: { status: 'down', embedded }, projections: [] });
    }
  }

  private unavailable(res: Response, body: ReadinessBody): void {
    res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(HttpStatus.SERVICE_UNAVAILABLE).json(body);
  }

  private async pendingMigrations(): Promise<number> {
    const rows: { name: string }[] = await this.dataSource.query('SELECT name FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.name));
    return this.dataSource.migrations.filter((m) => !applied.has(m.name ?? m.constructor.name)).length;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the database within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
