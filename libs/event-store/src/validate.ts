import { InvalidAppendError } from './errors';
import { ExpectedVersion, NewEvent } from './types';

// Five parameters an event; PostgreSQL takes at most 65 535 in one statement.
const MAX_EVENTS_PER_APPEND = 10_000;

export function assertValidExpectedVersion(expected: unknown): asserts expected is ExpectedVersion {
  if (expected === 'no_stream' || expected === 'any' || expected === 'stream_exists') return;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return;
  throw new InvalidAppendError(
    `expectedVersion must be a whole number ≥ 0, 'no_stream', 'stream_exists' or 'any' (got ${describe(expected)})`,
  );
}

export function assertValidAppend(streamId: unknown, events: unknown): asserts events is NewEvent[] {
  if (typeof streamId !== 'string' || streamId.trim() === '' || streamId.length > 200) {
    throw new InvalidAppendError('streamId must be a non-empty string of at most 200 characters');
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidAppendError('an append needs at least one event');
  }
  if (events.length > MAX_EVENTS_PER_APPEND) {
    throw new InvalidAppendError(`an append takes at most ${MAX_EVENTS_PER_APPEND} events`);
  }
  events.forEach((event: Partial<NewEvent> | null, i) => {
    if (event === null || typeof event !== 'object') throw new InvalidAppendError(`event ${i} is not an object`);
    if (typeof event.type !== 'string' || event.type.trim() === '') {
      throw new InvalidAppendError(`event ${i} has no type: every event needs a stable type name`);
    }
    if (event.schemaVersion !== undefined && !(Number.isInteger(event.schemaVersion) && event.schemaVersion > 0)) {
      throw new InvalidAppendError(
        `event ${i} (${event.type}) has schemaVersion ${describe(event.schemaVersion)}; it must be a whole number ≥ 1`,
      );
    }
    if (!('data' in event) || event.data === undefined)
      throw new InvalidAppendError(`event ${i} (${event.type}) has no data`);
    assertJson(event.data, `event ${i} (${event.type}) data`);
    if (event.metadata !== undefined) assertJson(event.metadata, `event ${i} (${event.type}) metadata`);
  });
}

/**
 * Only what survives JSON unchanged may be stored: a Date, undefined, NaN or a
 * class instance would come back different on replay, so it is refused here.
 */
export function assertJson(value: unknown, where: string, depth = 0): void {
  if (depth > 64) throw new InvalidAppendError(`${where} is nested too deeply (or circular)`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return;
    throw new InvalidAppendError(`${where} contains ${value}, which JSON cannot hold`);
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertJson(item, `${where}[${i}]`, depth + 1));
    return;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new InvalidAppendError(
        `${where} contains a ${proto?.constructor?.name ?? 'non-plain'} object; store plain JSON (dates as ISO strings)`,
      );
    }
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue; // dropped by JSON, as a caller leaving a field out expects
      assertJson(item, `${where}.${key}`, depth + 1);
    }
    return;
  }
  throw new InvalidAppendError(`${where} contains a ${typeof value}, which is not JSON`);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}
