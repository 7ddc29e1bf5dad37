import { randomUUID } from 'node:crypto';
import { EventStore } from '@praxis/event-store';
import { CodedFields, LADDER_CODES, PRESSURE_CODES, personStream, reflectionStream } from '@praxis/journal';

/** Journal events appended straight to the store, for tests and the benchmark: the read models see only these. */
export const codedFields = (
  occurredOn: string,
  pressure: number,
  rung: number,
  extra: Partial<CodedFields> = {},
): CodedFields => ({
  occurredOn,
  ladderRung: LADDER_CODES[rung - 1],
  aspiredRung: null,
  resourcePressure: PRESSURE_CODES[pressure - 1],
  pressureSources: [],
  challenges: [],
  principles: [],
  stage: null,
  embedding: null,
  advocacy: null,
  livedExperienceInvolved: null,
  ...extra,
});

const CONTENT = { whatHappened: 'sealed', soWhat: null, nowWhat: null, tags: null };

export interface Recorded {
  reflectionId: string;
  version: number;
}

export async function record(
  store: EventStore,
  who: { authorId: string; organisationId: string; teamId: string | null },
  fields: CodedFields,
  reflectionId = randomUUID(),
): Promise<Recorded> {
  const result = await store.append(reflectionStream(reflectionId), 'no_stream', [
    { type: 'ReflectionRecorded', data: { reflectionId, ...who, researchConsent: false, fields, content: CONTENT } },
  ]);
  return { reflectionId, version: result.nextExpectedVersion };
}

export async function amend(
  store: EventStore,
  reflectionId: string,
  authorId: string,
  fields: Partial<CodedFields>,
): Promise<void> {
  await store.append(reflectionStream(reflectionId), 'stream_exists', [
    { type: 'ReflectionAmended', data: { reflectionId, authorId, fields, content: {} } },
  ]);
}

export async function withdraw(store: EventStore, reflectionId: string, authorId: string): Promise<void> {
  await store.append(reflectionStream(reflectionId), 'stream_exists', [
    { type: 'ReflectionWithdrawn', data: { reflectionId, authorId } },
  ]);
}

export async function erase(store: EventStore, personId: string): Promise<void> {
  await store.append(personStream(personId), 'any', [{ type: 'PersonalDataErased', data: { personId } }]);
}
