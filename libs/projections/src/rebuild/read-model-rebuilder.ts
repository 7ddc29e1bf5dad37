import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig, Clock, ConflictError } from '@praxis/common';
import {
  catchUp,
  Checkpoint,
  checkpointOf,
  clearDeadLetters,
  EventStore,
  InlineProjectionRegistry,
  lockProjection,
  moveCheckpoint,
  project,
  Projection,
  ProjectionHost,
  START,
  TableResolver,
} from '@praxis/event-store';
import { randomBytes } from 'node:crypto';
import { createShadows, dropLeftoverShadows, dropShadows, shadowsFor, swapShadows } from './shadow-tables';

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

interface RebuildLock {
  held(): Promise<void>;
  release(): Promise<void>;
}

const PAGE = 5000;
/** Held (as a session advisory lock, per schema) by the one process rebuilding: the API, the worker or the CLI. */
const REBUILD_LOCK = `hashtextextended('praxis.read-model-rebuild:' || current_schema(), 0)`;

/**
 * Rebuilds every read model from the log while the service keeps answering:
 * each projection that declares its tables is replayed into shadow tables
 * named for the run (through its TableResolver), caught up, then swapped in
 * one short transaction:
 *   - async: holding the runner's advisory lock, apply what came since, swap,
 *     and move the checkpoint to where the shadow got — the runner goes on from there;
 *   - inline: appends keep writing the live tables meanwhile; LOCK them (readers
 *     still read), apply every committed event since — without the commit-order
 *     horizon, because an append that wrote the live tables has committed by then
 *     and one that has not will write the swapped-in tables — and swap.
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

  /**
   * Takes the rebuild lock without waiting. It is a session lock, so it lives
   * as long as its connection: `held()` asks that connection, before each swap,
   * and fails if it is gone (the lock with it — another process may have begun).
   */
  private async lock(): Promise<RebuildLock> {
    if (this.config.embedded) return { held: async () => undefined, release: async () => undefined };
    const runner = this.dataSource.createQueryRunner();
    try {
      const [{ locked }]: { locked: boolean }[] = await runner.query(
        `SELECT pg_try_advisory_lock(${REBUILD_LOCK}) AS locked`,
      );
      if (!locked) {
        throw new ConflictError(
          'REBUILD.RUNNING',
          'a rebuild of the read models is already running in another process (the API, the worker or `praxis rebuild`); try again when it has finished',
        );
      }
    } catch (error) {
      await runner.release();
      throw error;
    }
    return {
      held: async () => {
        await runner.query('SELECT 1').catch(() => {
          throw new Error('the connection holding the rebuild lock was lost; stopped before swapping, nothing changed');
        });
      },
      release: async () => {
        await runner.query(`SELECT pg_advisory_unlock(${REBUILD_LOCK})`).catch(() => undefined);
        await runner.release();
      },
    };
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
    const shadows = shadowsFor(randomBytes(4).toString('hex'));
    await this.dataSource.transaction(async (tx) => {
      // Only one rebuild runs at a time (the lock, or the embedded database's one process): any other shadow was left by one that did not finish.
      await dropLeftoverShadows(tx, tables);
      await createShadows(tx, tables, shadows);
    });
    try {
      const first = await this.catchUp(projection, shadows, START);
      // A second pass over what arrived during the first keeps the swap short.
      const { checkpoint, events: more } = await this.catchUp(projection, shadows, first.checkpoint);
      let events = first.events + more;
      await stillHeld();
      events += await this.dataSource.transaction((tx) =>
        kind === 'async'
          ? this.swapAsync(tx, projection, shadows, checkpoint)
          : this.swapInline(tx, projection, shadows, checkpoint),
      );
      await this.vacuum(tables);
      return { projection: projection.name, kind, method: 'shadow', events, seconds: seconds() };
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

  /** Applies every committed event after `from` to the shadow tables, a page per transaction. */
  private catchUp(
    projection: Projection,
    shadows: TableResolver,
    from: Checkpoint,
  ): Promise<{ checkpoint: Checkpoint; events: number }> {
    return catchUp(this.store, from, (after) =>
      this.dataSource.transaction(async (tx) => {
        const page = await this.store.readAll(after, PAGE, tx);
        await project(projection, page, tx, shadows);
        return page;
      }),
    );
  }

  private async swapAsync(
    tx: EntityManager,
    projection: Projection,
    shadows: TableResolver,
    from: Checkpoint,
  ): Promise<number> {
    // The runner takes this lock (without waiting) for every batch: while we hold it, it writes nothing.
    await lockProjection(tx, projection.name);
    let checkpoint = from;
    let events = 0;
    for (
      let page = await this.store.readAll(checkpoint, PAGE, tx);
      page.length;
      page = await this.store.readAll(checkpoint, PAGE, tx)
    ) {
      await project(projection, page, tx, shadows);
      checkpoint = checkpointOf(page[page.length - 1]);
      events += page.length;
    }
    await swapShadows(tx, projection.tables!, shadows);
    await moveCheckpoint(tx, projection.name, checkpoint);
    // Every event was just applied again: what was parked is no longer missing.
    await clearDeadLetters(tx, projection.name);
    return events;
  }

  private async swapInline(
    tx: EntityManager,
    projection: Projection,
    shadows: TableResolver,
    from: Checkpoint,
  ): Promise<number> {
    await tx.query(`LOCK TABLE ${projection.tables!.join(', ')} IN EXCLUSIVE MODE`);
    let checkpoint = from;
    let events = 0;
    for (
      let page = await this.store.readAllUnbounded(checkpoint, PAGE, tx);
      page.length;
      page = await this.store.readAllUnbounded(checkpoint, PAGE, tx)
    ) {
      await project(projection, page, tx, shadows);
      checkpoint = checkpointOf(page[page.length - 1]);
      events += page.length;
    }
    await swapShadows(tx, projection.tables!, shadows);
    return events;
  }
}
