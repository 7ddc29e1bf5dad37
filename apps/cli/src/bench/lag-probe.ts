import { Subject } from 'rxjs';
import { DataSource } from 'typeorm';
import { DomainEvent, EventStore, Projection, ProjectionRunner } from '@praxis/event-store';
import { percentile } from './measure';

/** A projection that reads every reflection and writes nothing: its checkpoint is what the lag is measured to. */
export const follower = (name: string): Projection => ({
  name,
  eventTypes: ['ReflectionRecorded'],
  apply: async () => {},
});

export interface LagFigures {
  lagP50: number;
  lagP99: number;
  appended: number;
  /** Appends a second achieved (the offered rate, unless the machine fell behind). */
  achieved: number;
}

/**
 * An async projection's lag under a steady write load: appends one reflection
 * (without research consent) every 1000/rate ms, and times each from just
 * before its append until the projection's checkpoint — its runner started
 * here, woken by appends as in the api — has passed it. A projection without
 * a checkpoint starts at the head of the log.
 */
export class LagProbe {
  private readonly pending: { position: number; at: number }[] = [];
  private readonly lags: number[] = [];
  private appending = true;
  private appender?: Promise<void>;
  private watcher?: Promise<void>;
  private appended = 0;
  private readonly started = performance.now();

  private constructor(
    private readonly ds: DataSource,
    private readonly store: EventStore,
    private readonly runner: { stop(): Promise<void> },
    private readonly name: string,
    private readonly sub: { unsubscribe(): void },
  ) {}

  /** `idGroup` (four hex digits' worth, 8000 and up) keeps each probe's reflection ids apart in one log. */
  static async start<E extends DomainEvent>(
    ds: DataSource,
    store: EventStore,
    projection: Projection<E>,
    options: { rate: number; idGroup: number },
  ): Promise<LagProbe> {
    await ds.query(
      `INSERT INTO projection_checkpoints (name, transaction_id, global_position)
       SELECT $1, coalesce(max(transaction_id), '0'::xid8), coalesce(max(global_position), 0) FROM events
       ON CONFLICT (name) DO NOTHING`,
      [projection.name],
    );
    const wake$ = new Subject<void>();
    const sub = store.appended$.subscribe(() => wake$.next());
    const runner = new ProjectionRunner(ds, store, projection, { wake$ });
    runner.start();
    const probe = new LagProbe(ds, store, runner, projection.name, sub);
    probe.appender = probe.append(options.rate, options.idGroup);
    probe.watcher = probe.watch();
    return probe;
  }

  async stop(): Promise<LagFigures> {
    this.appending = false;
    await this.appender;
    await this.watcher;
    await this.runner.stop();
    this.sub.unsubscribe();
    const sorted = [...this.lags].sort((a, b) => a - b);
    const seconds = (performance.now() - this.started) / 1000;
    return {
      lagP50: percentile(sorted, 50),
      lagP99: percentile(sorted, 99),
      appended: this.appended,
      achieved: this.appended / seconds,
    };
  }

  private async append(rate: number, idGroup: number): Promise<void> {
    const started = performance.now();
    for (let i = 0; this.appending; i++) {
      const wait = started + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const id = `00000000-0000-4000-${idGroup}-${String(i).padStart(12, '0')}`;
      const at = performance.now();
      const result = await this.store.append(`reflection-${id}`, 'no_stream', [
        {
          type: 'ReflectionRecorded',
          data: {
            reflectionId: id,
            authorId: '00000000-0000-4000-8000-000000000001',
            organisationId: '00000000-0000-4000-8000-000000000002',
            teamId: null,
            researchConsent: false,
            fields: {
              occurredOn: '2025-06-02',
              ladderRung: 'co_design',
              aspiredRung: null,
              resourcePressure: 'stretched',
              pressureSources: [],
              challenges: ['time'],
              principles: [],
              stage: null,
              embedding: null,
              advocacy: null,
              livedExperienceInvolved: null,
            },
            content: { whatHappened: 'sealed', soWhat: null, nowWhat: null, tags: null },
          },
        },
      ]);
      this.pending.push({ position: result.lastPosition, at });
      this.appended++;
    }
  }

  private async watch(): Promise<void> {
    while (this.appending || this.pending.length) {
      const [{ p }]: { p: string }[] = await this.ds.query(
        `SELECT global_position::text AS p FROM projection_checkpoints WHERE name = $1`,
        [this.name],
      );
      const now = performance.now();
      while (this.pending.length && this.pending[0].position <= Number(p))
        this.lags.push(now - this.pending.shift()!.at);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
