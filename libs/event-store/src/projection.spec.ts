import { EntityManager } from 'typeorm';
import { InlineProjectionRegistry, applyInline, ridingStatements } from './inline-projections';
import { DomainEvent, PendingEvent, Projection, Recorded, eventsFor, project } from './projection';
import { RecordedEvent } from './types';

type Named = DomainEvent<'Named', { name: string }>;
type Counted = DomainEvent<'Counted', { n: number }>;

const at = new Date('2026-01-05T10:00:00Z');
const stored = (type: string, data: unknown, position: number): RecordedEvent => ({
  eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
  streamId: `s-${position}`,
  streamVersion: 1,
  globalPosition: position,
  transactionId: '10',
  type,
  schemaVersion: 1,
  data,
  metadata: {},
  recordedAt: at,
});

/** The log as a store reads it: the projection's types among others'. */
const log = [
  stored('Named', { name: 'Ada' }, 1),
  stored('Counted', { n: 2 }, 2),
  stored('Erased', { personId: 'p-1' }, 3),
  stored('Named', { name: 'Grace' }, 4),
];

/** A typed projection that remembers what it was given, and reads its events' data without a cast. */
function namesProjection(): Projection<Named | Counted> & { seen: string[] } {
  const seen: string[] = [];
  return {
    name: 'names',
    eventTypes: ['Named', 'Counted'],
    seen,
    apply: async (events) => {
      for (const event of events) {
        seen.push(event.type === 'Named' ? event.data.name : `#${event.data.n}`);
      }
    },
  };
}

// Not a test of behaviour, a check the compiler makes: only the union's type names can be declared.
const undeclarable: Projection<Named> = {
  name: 'typo',
  // @ts-expect-error 'Renamed' is not a type of Named
  eventTypes: ['Renamed'],
  apply: async () => undefined,
};

const tx = {} as EntityManager;

describe('Projection: each one gets only the event types it declares', () => {
  it('narrows the log to the declared types, in order, as the domain types', () => {
    const projection = namesProjection();
    const mine: Recorded<Named | Counted>[] = eventsFor(projection, log);
    expect(mine.map((e) => [e.globalPosition, e.type])).toEqual([
      [1, 'Named'],
      [2, 'Counted'],
      [4, 'Named'],
    ]);
    expect(eventsFor(undeclarable, log)).toEqual([]);
  });

  it('hands apply only its events, and does not call it when a batch has none', async () => {
    const projection = namesProjection();
    expect(await project(projection, log, tx)).toBe(3);
    expect(projection.seen).toEqual(['Ada', '#2', 'Grace']);

    const apply = jest.fn(async () => undefined);
    expect(await project({ name: 'idle', eventTypes: ['Named'], apply }, [log[1], log[2]], tx)).toBe(0);
    expect(apply).not.toHaveBeenCalled();
  });

  it('runs inline projections on the appended events the same way', async () => {
    const registry = new InlineProjectionRegistry();
    const names = namesProjection();
    const erasures: string[] = [];
    registry.register(names);
    registry.register<DomainEvent<'Erased', { personId: string }>>({
      name: 'erasures',
      eventTypes: ['Erased'],
      apply: async (events) => void erasures.push(...events.map((e) => e.data.personId)),
    });
    const interested = registry.interestedIn(log.map((e) => e.type));
    await applyInline(interested, log, tx);
    expect(names.seen).toEqual(['Ada', '#2', 'Grace']);
    expect(erasures).toEqual(['p-1']);
    expect(registry.interestedIn(['Unrelated'])).toEqual([]);
  });

  it('gives a riding statement only the declared pending events', () => {
    const given: string[][] = [];
    const rider: Projection<Named> = {
      name: 'rider',
      eventTypes: ['Named'],
      apply: async () => undefined,
      statement: (events, first) => {
        given.push(events.map((e) => e.data.name));
        return { sql: `SELECT $${first}::text`, params: [events.length] };
      },
    };
    const pending: PendingEvent[] = log.map(({ globalPosition: _p, transactionId: _t, ...event }) => event);
    const params: unknown[] = ['stream', at, '[]'];
    expect(ridingStatements([rider], pending, params)).toEqual(['inline_0 AS (SELECT $4::text)']);
    expect(given).toEqual([['Ada', 'Grace']]);
    expect(params).toEqual(['stream', at, '[]', 2]);
  });
});
