import {
  assertNever,
  CodedFields,
  ReflectionEvent,
  ReflectionRecorded,
  SealedContent,
  REFLECTION_EVENT_TYPES,
} from './reflection-events';
import { JournalErrors } from './journal-errors';
import { PersonState } from './person';

/** A reflection as its own stream knows it, once recorded. */
export interface RecordedReflection {
  status: 'active' | 'withdrawn';
  reflectionId: string;
  authorId: string;
  organisationId: string;
  teamId: string | null;
  fields: CodedFields;
  content: SealedContent;
}

export type ReflectionState = { status: 'none' } | RecordedReflection;

export const INITIAL_REFLECTION: ReflectionState = Object.freeze({ status: 'none' });

export type ReflectionCommand =
  | ({
      type: 'RecordReflection';
      /** The author's own stream as it stands: whether they are erased, and their research consent now. */
      author: PersonState;
    } & Omit<ReflectionRecorded['data'], 'researchConsent'>)
  | { type: 'AmendReflection'; actorId: string; fields: Partial<CodedFields>; content: Partial<SealedContent> }
  | { type: 'WithdrawReflection'; actorId: string };

/** Pure: given the stream's state, what happens. No clock, no ids, no I/O. */
export function decide(command: ReflectionCommand, state: ReflectionState): ReflectionEvent[] {
  switch (command.type) {
    case 'RecordReflection': {
      const { type: _type, author, ...data } = command;
      if (author.erased) throw JournalErrors.erased();
      if (state.status !== 'none') throw JournalErrors.alreadyRecorded();
      return [{ type: 'ReflectionRecorded', data: { ...data, researchConsent: author.consent } }];
    }
    case 'AmendReflection': {
      const current = own(state, command.actorId);
      const fields = changed(command.fields, current.fields);
      // Sealed values differ every time they are sealed, so every given personal field counts as a change.
      const content = command.content;
      if (Object.keys(fields).length === 0 && Object.keys(content).length === 0) return [];
      return [
        {
          type: 'ReflectionAmended',
          data: { reflectionId: current.reflectionId, authorId: current.authorId, fields, content },
        },
      ];
    }
    case 'WithdrawReflection': {
      const current = own(state, command.actorId);
      return [
        { type: 'ReflectionWithdrawn', data: { reflectionId: current.reflectionId, authorId: current.authorId } },
      ];
    }
    default:
      return assertNever(command);
  }
}

export function evolve(state: ReflectionState, event: ReflectionEvent): ReflectionState {
  switch (event.type) {
    case 'ReflectionRecorded': {
      const { reflectionId, authorId, organisationId, teamId, fields, content } = event.data;
      return { status: 'active', reflectionId, authorId, organisationId, teamId, fields, content };
    }
    // decide() never lets these precede ReflectionRecorded; a stream that somehow did stays 'none'.
    case 'ReflectionAmended':
      if (state.status === 'none') return state;
      return {
        ...state,
        fields: { ...state.fields, ...event.data.fields },
        content: { ...state.content, ...event.data.content },
      };
    case 'ReflectionWithdrawn':
      return state.status === 'none' ? state : { ...state, status: 'withdrawn' };
    default:
      return assertNever(event);
  }
}

export const replay = (events: ReflectionEvent[]): ReflectionState => events.reduce(evolve, INITIAL_REFLECTION);

export const reflectionDecider = { decide, evolve, initial: INITIAL_REFLECTION, eventTypes: REFLECTION_EVENT_TYPES };

/** The reflection, if it is the actor's and still open to change. */
function own(state: ReflectionState, actorId: string): RecordedReflection {
  if (state.status === 'none' || state.authorId !== actorId) throw JournalErrors.notFound();
  if (state.status === 'withdrawn') throw JournalErrors.withdrawn();
  return state;
}

/** Only the coded fields whose value actually changes. */
function changed(proposed: Partial<CodedFields>, current: CodedFields): Partial<CodedFields> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(proposed)) {
    if (value === undefined) continue;
    if (canonical(value) !== canonical(current[key as keyof CodedFields])) out[key] = value;
  }
  return out as Partial<CodedFields>;
}

/**
 * A coded value as text for comparing: the code lists are sets (the same boxes ticked in another order are no
 * change) and an object's keys are compared in one order ({argument, reception} either way round).
 */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return JSON.stringify(value.map((v) => canonical(v)).sort());
  if (value && typeof value === 'object')
    return JSON.stringify(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  return JSON.stringify(value ?? null);
}
