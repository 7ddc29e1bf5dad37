import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { InlineProjectionRegistry, LIVE_TABLES, Projection, Recorded, TableResolver } from '@praxis/event-store';
import { QuarterPublished } from './publication';

export const PUBLISHED = 'published_quarters';

/**
 * The published quarters, kept in the publishing append's transaction (so the
 * next answer finds it), one row per `QuarterPublished`: a rebuild replays the
 * events and gets the same rows, whatever was erased since — the snapshot
 * holds only aggregates of k people or more.
 */
@Injectable()
export class PublishedQuarters implements Projection<QuarterPublished>, OnModuleInit {
  readonly name = 'published-quarters';
  readonly eventTypes = ['QuarterPublished'] as const;
  readonly tables = [PUBLISHED];

  constructor(private readonly registry: InlineProjectionRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async apply(events: Recorded<QuarterPublished>[], tx: EntityManager, t: TableResolver = LIVE_TABLES): Promise<void> {
    for (const event of events) {
      const { organisationId, quarter, k, publishedAt, shown } = event.data;
      await tx.query(
        `INSERT INTO ${t(PUBLISHED)} (organisation_id, quarter, k, published_at, shown) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (organisation_id, quarter) DO NOTHING`,
        [organisationId, quarter, k, publishedAt, JSON.stringify(shown)],
      );
    }
  }
}
