import { CodedFields, PersonalContent } from '../domain/reflection-events';

type Input = Partial<CodedFields & PersonalContent> & Record<string, unknown>;

/** Splits a validated request into coded fields (clear) and personal content (to seal). */
export function splitReflection(
  input: Input,
  complete: boolean,
): { fields: Partial<CodedFields>; content: Partial<PersonalContent> } {
  const pick = <T>(key: string, fallback: T) =>
    input[key] === undefined ? (complete ? fallback : undefined) : input[key];
  const fields: Record<string, unknown> = {
    occurredOn: input.occurredOn,
    ladderRung: input.ladderRung,
    aspiredRung: pick('aspiredRung', null),
    resourcePressure: input.resourcePressure,
    pressureSources: pick('pressureSources', []),
    challenges: pick('challenges', []),
    principles: pick('principles', []),
    stage: pick('stage', null),
    embedding: pick('embedding', null),
    advocacy: normaliseAdvocacy(pick('advocacy', null)),
    livedExperienceInvolved: pick('livedExperienceInvolved', null),
  };
  const content: Record<string, unknown> = {
    whatHappened: input.whatHappened,
    soWhat: emptyToNull(pick('soWhat', null)),
    nowWhat: emptyToNull(pick('nowWhat', null)),
    tags: pick('tags', []),
  };
  const defined = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return { fields: defined(fields) as Partial<CodedFields>, content: defined(content) as Partial<PersonalContent> };
}

function emptyToNull(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? null : value;
}

function normaliseAdvocacy(value: unknown): CodedFields['advocacy'] | undefined {
  if (value === undefined || value === null) return value as null | undefined;
  const v = value as { argument?: string | null; reception?: string | null };
  const argument = (v.argument ?? null) as NonNullable<CodedFields['advocacy']>['argument'];
  const reception = (v.reception ?? null) as NonNullable<CodedFields['advocacy']>['reception'];
  return argument === null && reception === null ? null : { argument, reception };
}
