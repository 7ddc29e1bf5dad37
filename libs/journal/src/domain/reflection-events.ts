import type {
  AdvocacyArgument,
  AdvocacyReception,
  Challenge,
  Embedding,
  LadderRung,
  PressureSource,
  Principle,
  ResourcePressure,
  Stage,
} from './codes';

/** The coded part of a reflection: kept in clear, because trends and exports are built from it. */
export interface CodedFields {
  /** YYYY-MM-DD */
  occurredOn: string;
  ladderRung: LadderRung;
  aspiredRung: LadderRung | null;
  resourcePressure: ResourcePressure;
  pressureSources: PressureSource[];
  challenges: Challenge[];
  principles: Principle[];
  stage: Stage | null;
  embedding: Embedding | null;
  advocacy: { argument: AdvocacyArgument | null; reception: AdvocacyReception | null } | null;
  livedExperienceInvolved: boolean | null;
}

/** The personal part, as the worker wrote it. Never stored like this. */
export interface PersonalContent {
  whatHappened: string;
  soWhat: string | null;
  nowWhat: string | null;
  tags: string[];
}

/**
 * The personal part as stored: each value sealed under the author's own key
 * (tags as one sealed JSON array), so erasing the key erases the text for good.
 */
export interface SealedContent {
  whatHappened: string;
  soWhat: string | null;
  nowWhat: string | null;
  tags: string | null;
}

export const PERSONAL_FIELDS = ['whatHappened', 'soWhat', 'nowWhat', 'tags'] as const;
export const CODED_FIELDS = [
  'occurredOn',
  'ladderRung',
  'aspiredRung',
  'resourcePressure',
  'pressureSources',
  'challenges',
  'principles',
  'stage',
  'embedding',
  'advocacy',
  'livedExperienceInvolved',
] as const;

/** Stored type names are these literal strings; each event is schemaVersion 1 so far. */
export type ReflectionRecorded = {
  type: 'ReflectionRecorded';
  data: {
    reflectionId: string;
    authorId: string;
    /** Where the author worked when they wrote it; trends attribute it there for good. */
    organisationId: string;
    teamId: string | null;
    /** Whether the author had given research consent at the time of writing. */
    researchConsent: boolean;
    fields: CodedFields;
    content: SealedContent;
  };
};

export type ReflectionAmended = {
  type: 'ReflectionAmended';
  data: {
    reflectionId: string;
    authorId: string;
    /** Only the coded fields that changed, with their new values. */
    fields: Partial<CodedFields>;
    /** Only the personal fields that changed, sealed. */
    content: Partial<SealedContent>;
  };
};

export type ReflectionWithdrawn = {
  type: 'ReflectionWithdrawn';
  data: { reflectionId: string; authorId: string };
};

export type ReflectionEvent = ReflectionRecorded | ReflectionAmended | ReflectionWithdrawn;
export const REFLECTION_EVENT_TYPES = ['ReflectionRecorded', 'ReflectionAmended', 'ReflectionWithdrawn'] as const;

export type ResearchConsentGiven = { type: 'ResearchConsentGiven'; data: { personId: string; since: string } };
export type ResearchConsentWithdrawn = { type: 'ResearchConsentWithdrawn'; data: { personId: string; since: string } };
/** The person's key is destroyed: nothing of theirs is readable, and they leave every read model. */
export type PersonalDataErased = { type: 'PersonalDataErased'; data: { personId: string } };

export type PersonEvent = ResearchConsentGiven | ResearchConsentWithdrawn | PersonalDataErased;
export const PERSON_EVENT_TYPES = ['ResearchConsentGiven', 'ResearchConsentWithdrawn', 'PersonalDataErased'] as const;

export type JournalEvent = ReflectionEvent | PersonEvent;
export const JOURNAL_EVENT_TYPES = [...REFLECTION_EVENT_TYPES, ...PERSON_EVENT_TYPES] as const;

export const reflectionStream = (reflectionId: string): string => `reflection-${reflectionId}`;
export const personStream = (personId: string): string => `person-${personId}`;

export function assertNever(value: never): never {
  throw new Error(`unhandled journal event or command: ${JSON.stringify(value)}`);
}
