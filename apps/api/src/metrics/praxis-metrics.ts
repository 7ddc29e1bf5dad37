import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Subscription } from 'rxjs';
import { EventStore, ProjectionMonitor } from '@praxis/event-store';

type HttpLabels = 'method' | 'route' | 'status';

/** Seconds; API calls are mostly a few milliseconds, exports and rebuilds can take several seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** A scrape should not hang on a database that does not answer; Prometheus would time out anyway. */
const MONITOR_TIMEOUT_MS = 2000;

/**
 * Every metric of one application instance, in a registry of its own (not
 * prom-client's global one), so several apps in one process (the tests) do not
 * collide. Projection figures are read from the database at scrape time: the
 * async projections may run in another process (apps/worker).
 */
@Injectable()
export class PraxisMetrics implements OnModuleDestroy {
  readonly registry = new Registry();
  private readonly requests: Counter<HttpLabels>;
  private readonly durations: Histogram<HttpLabels>;
  private readonly lagEvents: Gauge<'projection'>;
  private readonly lagSeconds: Gauge<'projection'>;
  private readonly deadLetters: Gauge<'projection'>;
  private readonly monitorUp: Gauge;
  private readonly appends: Subscription;

  constructor(
    private readonly monitor: ProjectionMonitor,
    store: EventStore,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'praxis_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.durations = new Histogram({
      name: 'praxis_http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to finishing its answer, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    const projectionGauge = (name: string, help: string) =>
      new Gauge({ name, help, labelNames: ['projection'], registers });
    this.lagEvents = projectionGauge(
      'praxis_projection_lag_events',
      'Events in the log the projection has not applied yet (capped at 100000)',
    );
    this.lagSeconds = projectionGauge(
      'praxis_projection_lag_seconds',
      'Age of the oldest event the projection has not applied yet (0 when caught up)',
    );
    this.deadLetters = projectionGauge(
      'praxis_projection_dead_letters',
      'Events the projection gave up on and parked in the dead-letter table',
    );
    this.monitorUp = new Gauge({
      name: 'praxis_projection_monitor_up',
      help: '1 when the projection figures above could be read at this scrape, 0 when not',
      registers,
    });
    const appended = new Counter({
      name: 'praxis_event_store_appends_total',
      help: 'Committed appends to the event store by this process',
      registers,
    });
    this.appends = store.appended$.subscribe(() => appended.inc());
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.durations.observe(labels, seconds);
  }

  /** The exposition text, with the projection figures read now. */
  async scrape(): Promise<string> {
    await this.refreshProjections();
    return this.registry.metrics();
  }

  onModuleDestroy(): void {
    this.appends.unsubscribe();
  }

  private async refreshProjections(): Promise<void> {
    // Reset first: a projection that is gone (or figures that cannot be read) must not linger at old values.
    for (const gauge of [this.lagEvents, this.lagSeconds, this.deadLetters]) gauge.reset();
    try {
      const statuses = await withTimeout(this.monitor.statuses(), MONITOR_TIMEOUT_MS);
      for (const s of statuses) {
        this.lagEvents.set({ projection: s.name }, s.lagEvents);
        this.lagSeconds.set({ projection: s.name }, s.lagSeconds);
        this.deadLetters.set({ projection: s.name }, s.deadLetters);
      }
      this.monitorUp.set(1);
    } catch {
      this.monitorUp.set(0);
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
