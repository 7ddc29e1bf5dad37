import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, Clock, ConflictError } from '@praxis/common';
import { EventStore, InlineProjectionRegistry, Projection, ProjectionHost } from '@praxis/event-store';
import { RebuildLock, takeRebuildLock } from './rebuild-lock';
import { fillShadows, newShadows } from './shadow-build';
import { dropShadows } from './shadow-tables';
import { swapAsync, swapInline } from './swap';

export interface RebuildResult {
  projection: string;
  kind: 'async' | 'inline';
  /** 'shadow': built beside and swapped; 'in-place': the projection's own rebuild (no declared tables). */
  method: 'shadow' | 'in-place';
  events: number;
  seconds: number;
}

export interface RebuildStatus {
  running: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  results: RebuildResult[];
  error: string | null;
}

/**
 * Rebuilds every read model from the log while the service keeps answering:
 * each projection that declares its tables is replayed into shadow tables
 * named for the run (through its TableResolver), caught up, then swapped in
 * one short transaction (see swap.ts: async and inline projections swap differently).
 * Projections without tables but with their own `rebuild()` use it.
 *
 * One rebuild at a time across every process on the database: `start()` and
 * `rebuildAll()` hold a session advisory lock (on a server; the embedded
 * database has one process), so an admin's request and `praxis rebuild` can
 * never write the same shadow tables — the second is refused with a 409.
 */
@Injectable()
export class ReadModelRebuilder implements OnApplicationShutdown {
  private readonly logger = new Logger('ReadModelRebuilder');
  private current: Promise<RebuildResult[]> | undefined;
  /** The running rebuild's attempt at the lock: a request that joins it gets the same answer. */
  private locking: Promise<unknown> | undefined;
  private state: RebuildStatus = { running: false, startedAt: null, finishedAt: null, results: [], error: null };

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly inline: InlineProjectionRegistry,
    private readonly host: ProjectionHost,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  status(): RebuildStatus {
    return { ...this.state, results: [...this.state.results] };
  }

  /**
   * Starts a rebuild in the background (or joins the one running here); the
   * admin route answers 202. A rebuild running in another process: ConflictError.
   */
  async start(): Promise<{ started: boolean; projections: string[] }> {
    const projections = this.projections().map((p) => p.projection.name);
    if (this.current) {
      await this.locking; // refused for the first request: refused for this one too
      return { started: false, projections };
    }
    const locked = this.lock();
    this.locking = locked;
    this.current = locked
      .then((lock) => this.runAll(lock).finally(() => lock.release()))
      .finally(() => (this.current = undefined));
    this.current.catch(() => undefined);
    await locked;
    return { started: true, projections };
  }

  /** The running rebuild, if any (tests and the CLI wait for it). */
  async done(): Promise<void> {
    await this.current?.catch(() => undefined);
  }

  /** A rebuild is not cut off mid-swap by a shutdown: the process waits for it. */
  async onApplicationShutdown(): Promise<void> {
    await this.done();
  }

  /** Rebuilds every read model and waits for it (the CLI). A rebuild running in another process: ConflictError. */
  async rebuildAll(): Promise<RebuildResult[]> {
    if (this.current)
      throw new ConflictError(
        'REBUILD.RUNNING',
        'a rebuild of the read models is already running in this process; wait for it to finish',
      );
    const lock = await this.lock();
    try {
      return await this.runAll(lock);
    } finally {
      await lock.release();
    }
  }

  private lock(): Promise<RebuildLock> {
    return takeRebuildLock(this.dataSource, this.config.embedded);
  }

  private async runAll(lock: RebuildLock): Promise<RebuildResult[]> {
    this.state = {
      running: true,
      startedAt: this.clock.now().toISOString(),
      finishedAt: null,
      results: [],
      error: null,
    };
    try {
      for (const { projection, kind } of this.projections()) {
        const result = await this.rebuild(projection, kind, lock.held);
        this.state.results.push(result);
        this.logger.log(`rebuilt ${result.projection}: ${result.events} events in ${result.seconds.toFixed(1)} s`);
      }
      return this.state.results;
    } catch (error) {
      this.state.error = error instanceof Error ? error.message : String(error);
      this.logger.error(`rebuild failed: ${this.state.error}`);
      throw error;
    } finally {
      this.state.running = false;
      this.state.finishedAt = this.clock.now().toISOString();
    }
  }

  private projections(): { projection: Projection; kind: 'async' | 'inline' }[] {
    const inline = this.inline.all().map((projection) => ({ projection, kind: 'inline' as const }));
    const async = this.host
      .names()
      .map((name) => ({ projection: this.host.runner(name)!.projection, kind: 'async' as const }));
    return [...inline, ...async].filter(
      ({ projection }) => projection.tables?.length || typeof projection.rebuild === 'function',
    );
  }

  /** One projection's rebuild; `stillHeld` refuses to go on (before it starts, and before it swaps) once the lock is lost. */
  async rebuild(
    projection: Projection,
    kind: 'async' | 'inline',
    stillHeld: () => Promise<void> = async () => undefined,
  ): Promise<RebuildResult> {
    await stillHeld();
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    if (!projection.tables?.length) {
      const events = await projection.rebuild!();
      return { projection: projection.name, kind, method: 'in-place', events, seconds: seconds() };
    }
    const tables = projection.tables;
    const shadows = await newShadows(this.dataSource, tables);
    try {
      const { checkpoint, events } = await fillShadows(this.dataSource, this.store, projection, shadows);
      await stillHeld();
      const swap = kind === 'async' ? swapAsync : swapInline;
      const since = await this.dataSource.transaction((tx) => swap(tx, this.store, projection, shadows, checkpoint));
      await this.vacuum(tables);
      return { projection: projection.name, kind, method: 'shadow', events: events + since, seconds: seconds() };
    } catch (error) {
      await this.dataSource.transaction((tx) => dropShadows(tx, tables, shadows)).catch(() => undefined);
      throw error;
    }
  }

  /**
   * A swapped-in table is new to the planner and to the visibility map: without
   * statistics the planner guesses, and without the map an index-only scan
   * visits the heap for every row. VACUUM (ANALYZE) gives it both (it takes no
   * lock that readers or writers wait for). An optimisation: failing it fails nothing.
   */
  private async vacuum(tables: readonly string[]): Promise<void> {
    for (const table of tables) {
      await this.dataSource
        .query(`VACUUM (ANALYZE) ${table}`)
        .catch((error: Error) => this.logger.warn(`VACUUM ${table} after the rebuild failed: ${error.message}`));
    }
  }
}
