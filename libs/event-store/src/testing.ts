import { DataSource } from 'typeorm';
import { Clock } from '@praxis/common';
import { EventStore } from './event-store';
import { InlineProjectionRegistry } from './inline-projections';
import { UpcasterRegistry } from './upcasters';

export class FixedClock extends Clock {
  constructor(private current = new Date('2026-01-05T10:00:00Z')) {
    super();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** An EventStore wired by hand, for integration tests that need no Nest container. */
export function buildStore(dataSource: DataSource, clock: Clock = new FixedClock()) {
  const upcasters = new UpcasterRegistry();
  const inline = new InlineProjectionRegistry();
  return { store: new EventStore(dataSource, clock, upcasters, inline), upcasters, inline, clock };
}
