import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Subject, Subscription } from 'rxjs';
import { DataSource } from 'typeorm';
import { AppConfig, Database } from '@praxis/common';
import { EventStore } from '../event-store';
import { DomainEvent, Projection } from '../projection';
import { NotificationListener } from './notification-listener';
import { ProjectionRunner, RunnerOptions } from './projection-runner';

/**
 * Holds every projection run async and, where this process runs them (the api by
 * default, or the worker alone), one runner each, woken by local appends and
 * by LISTEN/NOTIFY from other processes, with polling behind both.
 */
@Injectable()
export class ProjectionHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ProjectionHost');
  private readonly runners = new Map<string, ProjectionRunner>();
  /** Local appends and other processes' notifications both wake the runners. */
  private readonly wake$ = new Subject<void>();
  private readonly subscriptions: Subscription[] = [];
  private listener?: NotificationListener;
  private started = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly database: Database,
    private readonly store: EventStore,
    private readonly config: AppConfig,
  ) {}

  register<E extends DomainEvent>(
    projection: Projection<E>,
    options: Partial<RunnerOptions> = {},
  ): ProjectionRunner<E> {
    if (this.runners.has(projection.name)) throw new Error(`async projection "${projection.name}" is registered twice`);
    const runner = new ProjectionRunner(this.dataSource, this.store, projection, {
      pollMs: this.config.projectionPollMs,
      wake$: this.wake$,
      ...options,
    });
    this.runners.set(projection.name, runner);
    if (this.started) runner.start();
    return runner;
  }

  runner(name: string): ProjectionRunner | undefined {
    return this.runners.get(name);
  }

  names(): string[] {
    return [...this.runners.keys()];
  }

  /** Brings every projection up to the head of the log (tests, CLI). */
  async catchUpAll(): Promise<void> {
    for (const runner of this.runners.values()) await runner.catchUp();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runProjections) return;
    this.subscriptions.push(this.store.appended$.subscribe(() => this.wake$.next()));
    // PGlite is one session: a second, listening connection is not possible there.
    if (!this.database.embedded) {
      this.listener = new NotificationListener(this.database.url);
      this.subscriptions.push(this.listener.notified$.subscribe(() => this.wake$.next()));
      await this.listener.start();
    }
    this.started = true;
    for (const runner of this.runners.values()) runner.start();
    if (this.runners.size) this.logger.log(`running projections: ${this.names().join(', ')}`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.started = false;
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
    await this.listener?.stop();
    this.subscriptions.forEach((s) => s.unsubscribe());
  }
}
