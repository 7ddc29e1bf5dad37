import { assertNever, PersonEvent, PERSON_EVENT_TYPES } from './reflection-events';
import { JournalErrors } from './journal-errors';

/** What a person's own stream knows: research consent, and whether they are erased. */
export interface PersonState {
  consent: boolean;
  /** When consent was last given or withdrawn (ISO time), null if never. */
  since: string | null;
  erased: boolean;
}

export const INITIAL_PERSON: PersonState = Object.freeze({ consent: false, since: null, erased: false });

export type PersonCommand =
  | { type: 'SetResearchConsent'; personId: string; granted: boolean; at: string }
  | { type: 'ErasePersonalData'; personId: string };

export function decidePerson(command: PersonCommand, state: PersonState): PersonEvent[] {
  switch (command.type) {
    case 'SetResearchConsent':
      if (state.erased) throw JournalErrors.erased();
      if (state.consent === command.granted && state.since !== null) return [];
      if (!command.granted && state.since === null) return []; // never given: nothing to withdraw
      return [
        command.granted
          ? { type: 'ResearchConsentGiven', data: { personId: command.personId, since: command.at } }
          : { type: 'ResearchConsentWithdrawn', data: { personId: command.personId, since: command.at } },
      ];
    case 'ErasePersonalData':
      return state.erased ? [] : [{ type: 'PersonalDataErased', data: { personId: command.personId } }];
    default:
      return assertNever(command);
  }
}

export function evolvePerson(state: PersonState, event: PersonEvent): PersonState {
  switch (event.type) {
    case 'ResearchConsentGiven':
      return { ...state, consent: true, since: event.data.since };
    case 'ResearchConsentWithdrawn':
      return { ...state, consent: false, since: event.data.since };
    case 'PersonalDataErased':
      return { consent: false, since: state.since, erased: true };
    default:
      return assertNever(event);
  }
}

export const replayPerson = (events: PersonEvent[]): PersonState => events.reduce(evolvePerson, INITIAL_PERSON);

export const personDecider = {
  decide: decidePerson,
  evolve: evolvePerson,
  initial: INITIAL_PERSON,
  eventTypes: PERSON_EVENT_TYPES,
};
