import { Logger } from '@nestjs/common';
import { Observable, Subject, firstValueFrom, race, timer } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import { CheckpointConflictError } from '../errors';
import { EventStore } from '../event-store';
import { DomainEvent, Projection, eventsFor } from '../projection';
import { Checkpoint, RecordedEvent, checkpointOf } from '../types';
import {
  BatchOutcome,
  HELD_BACK_RETRY_MS,
  ProjectionHandlerError,
  ensureCheckpoint,
  moveCheckpoint,
  parkDeadLetter,
  readCheckpoint,
  sleep,
  tryLockProjection,
  untilCaughtUp,
} from './subscription';

export interface RunnerOptions {
  batchSize: number;
  /** Longest sleep when nothing wakes the runner (LISTEN/NOTIFY can be lost). */
  pollMs: number;
  /** Attempts at a failing event before it is parked in the dead-letter table. */
  maxAttempts: number;
  backoffMs: number;
  /**
   * After a wake-up, how long to let more appends gather before reading. Woken by every
   * append, a runner under steady load read one or two events per transaction — about as
   * many queries as the requests themselves made (measured) — for a lag nobody could see.
   */
  gatherMs: number;
  wake$?: Observable<unknown>;
}

export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = {
  batchSize: 500,
  pollMs: 1000,
  maxAttempts: 5,
  backoffMs: 100,
  gatherMs: 50,
};

/**
 * Runs one async projection: read a batch after its checkpoint, apply it and
 * move the checkpoint in one transaction. A transaction-scoped advisory lock
 * keeps a second runner of the same projection out, and the checkpoint moves
 * only by compare-and-set, so even a runner that lost the lock cannot double-apply.
 */
export class ProjectionRunner<E extends DomainEvent = DomainEvent> {
  private readonly logger: Logger;
  private readonly options: RunnerOptions;
  private running = false;
  private loop?: Promise<void>;
  private failures = 0;
  private readonly stopping$ = new Subject<void>();
  /** Set by every wake-up, cleared before each read: a wake during a batch is never lost. */
  private woken = false;
  private readonly woken$ = new Subject<void>();
  private wakeSubscription?: { unsubscribe(): void };
  /** The checkpoint row exists once made (nothing deletes one): no need to ask again per batch. */
  private checkpointRowMade = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    readonly projection: Projection<E>,
    options: Partial<RunnerOptions> = {},
  ) {
    this.options = { ...DEFAULT_RUNNER_OPTIONS, ...options };
    this.logger = new Logger(`Projection:${projection.name}`);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.wakeSubscription = this.options.wake$?.subscribe(() => {
      this.woken = true;
      this.woken$.next();
    });
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping$.next();
    await this.loop;
    this.wakeSubscription?.unsubscribe();
  }

  /**
   * Applies batches until every committed event is applied (parking poison
   * events on the way), waiting for older open transactions to finish first.
   */
  async catchUp(): Promise<void> {
    await untilCaughtUp(() => this.step(), this.options.backoffMs);
  }

  /** One batch, with retry and parking; returns what happened. */
  async step(): Promise<BatchOutcome> {
    try {
      // After a failure, go one event at a time so the poison one is isolated.
      this.woken = false;
      const outcome = await this.applyNextBatch(this.failures > 0 ? 1 : this.options.batchSize);
      this.failures = 0;
      return outcome;
    } catch (error) {
      if (error instanceof CheckpointConflictError) return { kind: 'busy' };
      if (!(error instanceof ProjectionHandlerError)) throw error;
      this.failures += 1;
      if (this.failures < this.options.maxAttempts) {
        this.logger.warn(`${error.message} — attempt ${this.failures} of ${this.options.maxAttempts}`);
        await sleep(this.options.backoffMs * 2 ** (this.failures - 1));
        return { kind: 'applied', events: 0, full: true };
      }
      await this.parkNext(error);
      this.failures = 0;
      return { kind: 'applied', events: 1, full: true };
    }
  }

  async checkpoint(db: Pick<EntityManager, 'query'> = this.dataSource): Promise<Checkpoint> {
    if (db === this.dataSource) await this.ensureCheckpointRow(db);
    return readCheckpoint(db, this.projection.name);
  }

  /** Moves the checkpoint from `from` to `to`, or fails if someone else moved it. */
  async advance(tx: Pick<EntityManager, 'query'>, from: Checkpoint, to: Checkpoint): Promise<void> {
    await moveCheckpoint(tx, this.projection.name, to, from);
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const outcome = await this.step();
        if (outcome.kind === 'applied' && outcome.full) continue;
        if (outcome.kind === 'idle' && outcome.heldBack) {
          await this.idle(HELD_BACK_RETRY_MS);
          continue;
        }
        await this.idle(outcome.kind === 'busy' ? this.options.pollMs : undefined);
      } catch (error) {
        // The database is away or refused: wait and try again, never crash the process.
        this.logger.error(`cannot run batch: ${error instanceof Error ? error.message : String(error)}`);
        await this.idle(Math.min(this.options.pollMs * 5, 30_000));
      }
    }
  }

  private async idle(ms?: number): Promise<void> {
    if (!this.running) return;
    if (ms !== undefined) {
      await firstValueFrom(race(timer(ms), this.stopping$));
      return;
    }
    if (!this.woken) await firstValueFrom(race(timer(this.options.pollMs), this.stopping$, this.woken$));
    if (this.woken && this.running && this.options.gatherMs > 0)
      await firstValueFrom(race(timer(this.options.gatherMs), this.stopping$));
  }

  private async applyNextBatch(limit: number): Promise<BatchOutcome> {
    await this.ensureCheckpointRow(this.dataSource);
    return this.dataSource.transaction(async (tx) => {
      if (!(await tryLockProjection(tx, this.projection.name))) return { kind: 'busy' } as const;
      const from = await this.checkpoint(tx);
      const events = await this.store.readAll(from, limit, tx);
      if (events.length === 0) return { kind: 'idle', heldBack: await this.store.heldBack(from, tx) } as const;
      const relevant = eventsFor(this.projection, events);
      if (relevant.length) {
        try {
          await this.projection.apply(relevant, tx);
        } catch (error) {
          throw new ProjectionHandlerError(
            this.projection.name,
            relevant.length === 1 ? relevant[0] : undefined,
            error,
          );
        }
      }
      await this.advance(tx, from, checkpointOf(events[events.length - 1]));
      return { kind: 'applied', events: events.length, full: events.length === limit } as const;
    });
  }

  /** Parks the next event in the dead-letter table and moves past it, in one transaction. */
  private async parkNext(error: ProjectionHandlerError): Promise<void> {
    await this.ensureCheckpointRow(this.dataSource);
    await this.dataSource.transaction(async (tx) => {
      if (!(await tryLockProjection(tx, this.projection.name))) return;
      const from = await this.checkpoint(tx);
      const [event]: RecordedEvent[] = await this.store.readAll(from, 1, tx);
      if (!event) return;
      await parkDeadLetter(tx, this.projection.name, event, error, this.options.maxAttempts);
      await this.advance(tx, from, checkpointOf(event));
      this.logger.error(
        `parked event ${event.globalPosition} (${event.type}) after ${this.options.maxAttempts} attempts: ${error.message}`,
      );
    });
  }

  private async ensureCheckpointRow(db: Pick<EntityManager, 'query'>): Promise<void> {
    if (this.checkpointRowMade) return;
    await ensureCheckpoint(db, this.projection.name);
    this.checkpointRowMade = true;
  }
}
