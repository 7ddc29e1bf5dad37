import { StreamVersionConflictError } from './errors';
import type { EventStore } from './event-store';
import { DeclaresEvents, DomainEvent, isDeclared } from './projection';
import { AppendOptions, EventMetadata, ExpectedVersion } from './types';

/**
 * How a stream's events fold into the state a decision is taken on: a decider's `initial` and
 * `evolve`, and the event types its stream holds (every one of its union), by which stored
 * events are narrowed.
 */
export interface StreamFold<State, Event extends DomainEvent> extends DeclaresEvents<Event> {
  initial: State;
  evolve: (state: State, event: Event) => State;
}

/**
 * Whose conflict a concurrent change is. `expectedVersion`: the caller's (a
 * version the person saw, `If-Match`), so it is refused; `'no_stream'` also
 * skips reading, as the stream must be new. `retries`: nobody's — the version
 * read is appended at, and a lost race reloads and decides again that many times.
 */
export type HandleOptions = ({ expectedVersion: ExpectedVersion } | { retries: number }) & {
  metadata?: EventMetadata;
  /** Passed on to the append: an idempotency key, its fingerprint, writes in its transaction. */
  append?: Omit<AppendOptions, 'recordedAt'>;
};

export interface Handled<State, Event> {
  /** What the decision produced; none when the command changes nothing (and nothing was appended). */
  events: Event[];
  /** The state after them. */
  state: State;
  /** The stream's version after them: the next expectedVersion. */
  version: number;
  /** An idempotency key matched an earlier append: nothing new was stored. */
  duplicate: boolean;
}

/** A stream's state and version, folded from its events. */
export async function aggregateStream<State, Event extends DomainEvent>(
  store: EventStore,
  streamId: string,
  fold: StreamFold<State, Event>,
): Promise<{ state: State; version: number }> {
  const recorded = await store.readStream(streamId);
  let state = fold.initial;
  for (const event of recorded) {
    // A stream holds one kind's events; one its fold does not declare is refused, as evolve's never-check would.
    if (!isDeclared<Event>(fold, event))
      throw new Error(`${streamId} holds a ${event.type}, which its fold does not declare`);
    state = fold.evolve(state, event);
  }
  const version = recorded.length ? recorded[recorded.length - 1].streamVersion : 0;
  return { state, version };
}

/**
 * The one command path: load the stream, decide, append at the version the
 * decision was taken on. `decide` is pure; its refusals (not found, gone) come
 * before any talk of versions, so a stale request for someone else's stream is
 * still "not found".
 */
export async function handle<State, Event extends DomainEvent>(
  store: EventStore,
  streamId: string,
  fold: StreamFold<State, Event>,
  decide: (state: State) => Event[],
  options: HandleOptions,
): Promise<Handled<State, Event>> {
  const retries = 'retries' in options ? options.retries : 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await handleOnce(store, streamId, fold, decide, options);
    } catch (error) {
      if (!(error instanceof StreamVersionConflictError) || attempt > retries) throw error;
      await pause(attempt);
    }
  }
}

async function handleOnce<State, Event extends DomainEvent>(
  store: EventStore,
  streamId: string,
  fold: StreamFold<State, Event>,
  decide: (state: State) => Event[],
  options: HandleOptions,
): Promise<Handled<State, Event>> {
  const expected: ExpectedVersion | undefined = 'expectedVersion' in options ? options.expectedVersion : undefined;
  // A stream that must be new is not read: the append refuses it if it exists, and an idempotent retry gets its first answer.
  const { state, version } =
    expected === 'no_stream' ? { state: fold.initial, version: 0 } : await aggregateStream(store, streamId, fold);
  const events = decide(state);
  // Stale even when nothing would change: the caller decided on a version that is gone.
  if (typeof expected === 'number' && expected !== version)
    throw new StreamVersionConflictError(streamId, expected, version);
  const next = events.reduce(fold.evolve, state);
  if (events.length === 0) return { events, state: next, version, duplicate: false };
  const result = await store.append(
    streamId,
    expected ?? (version === 0 ? 'no_stream' : version),
    events.map((e) => ({
      type: e.type,
      data: e.data,
      ...(e.schemaVersion !== undefined ? { schemaVersion: e.schemaVersion } : {}),
      ...(options.metadata ? { metadata: options.metadata } : {}),
    })),
    options.append,
  );
  return { events, state: next, version: result.nextExpectedVersion, duplicate: result.duplicate };
}

/** Each round of racing writers lets one through; a short random pause keeps the losers from colliding again in step. */
const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
