import { deciderSpec } from '@praxis/testing';
import { evolve, INITIAL_REFLECTION, ReflectionCommand, reflectionDecider, replay } from './reflection';
import { INITIAL_PERSON, PersonState, personDecider, replayPerson } from './person';
import { CodedFields, ReflectionEvent } from './reflection-events';

const reflection = deciderSpec(reflectionDecider);
const person = deciderSpec(personDecider);

const fields: CodedFields = {
  occurredOn: '2026-03-02',
  ladderRung: 'consultation',
  aspiredRung: 'co_design',
  resourcePressure: 'stretched',
  pressureSources: ['time'],
  challenges: ['time'],
  principles: [],
  stage: null,
  embedding: null,
  advocacy: null,
  livedExperienceInvolved: true,
};
const content = { whatHappened: 'sealed-1', soWhat: null, nowWhat: null, tags: null };
const consenting: PersonState = { consent: true, since: '2026-01-01T00:00:00.000Z', erased: false };
const record: ReflectionCommand = {
  type: 'RecordReflection',
  author: consenting,
  reflectionId: 'r-1',
  authorId: 'ann',
  organisationId: 'org',
  teamId: 'team',
  fields,
  content,
};
const recordedWith = (researchConsent: boolean): ReflectionEvent => ({
  type: 'ReflectionRecorded',
  data: {
    reflectionId: 'r-1',
    authorId: 'ann',
    organisationId: 'org',
    teamId: 'team',
    researchConsent,
    fields,
    content,
  },
});
const recorded = [recordedWith(true)];
const stateOf = (events: ReflectionEvent[]) => events.reduce(evolve, INITIAL_REFLECTION);

describe('a reflection: given events, when a command, then events or an error', () => {
  it('records a new reflection with its author, organisation, team and consent at the time', () => {
    reflection.given([]).when(record).then(recorded);
    reflection
      .given([])
      .when({ ...record, author: { ...consenting, consent: false } })
      .then([recordedWith(false)]);
  });

  it('refuses to record the same reflection twice', () => {
    reflection.given(recorded).when(record).then('REFLECTION.ALREADY_RECORDED');
  });

  it('refuses an erased author: nothing more can be recorded for them', () => {
    reflection
      .given([])
      .when({ ...record, author: { ...consenting, erased: true } })
      .then('PERSON.ERASED');
  });

  it('amends only what changed, keeping the rest', () => {
    const events = reflection
      .given(recorded)
      .when({
        type: 'AmendReflection',
        actorId: 'ann',
        fields: { ladderRung: 'co_design', resourcePressure: 'stretched' },
        content: {},
      })
      .then([
        {
          type: 'ReflectionAmended',
          data: { reflectionId: 'r-1', authorId: 'ann', fields: { ladderRung: 'co_design' }, content: {} },
        },
      ]);
    expect(stateOf([...recorded, ...events])).toMatchObject({ fields: { ...fields, ladderRung: 'co_design' } });
  });

  it('records nothing for an amendment that changes nothing', () => {
    reflection
      .given(recorded)
      .when({
        type: 'AmendReflection',
        actorId: 'ann',
        fields: { ladderRung: 'consultation', challenges: ['time'] },
        content: {},
      })
      .then([]);
  });

  it('takes the same boxes ticked in another order, and the same advocacy, as no change', () => {
    const withSets: ReflectionEvent = {
      ...recorded[0],
      data: {
        ...(recorded[0].data as object),
        fields: {
          ...fields,
          pressureSources: ['digital', 'time'],
          advocacy: { argument: 'ethical', reception: 'neutral' },
        },
      },
    } as ReflectionEvent;
    reflection
      .given([withSets])
      .when({
        type: 'AmendReflection',
        actorId: 'ann',
        fields: { pressureSources: ['time', 'digital'], advocacy: { reception: 'neutral', argument: 'ethical' } },
        content: {},
      })
      .then([]);
    // A box ticked or cleared is still a change.
    reflection
      .given([withSets])
      .when({ type: 'AmendReflection', actorId: 'ann', fields: { pressureSources: ['time'] }, content: {} })
      .then([
        {
          type: 'ReflectionAmended',
          data: { reflectionId: 'r-1', authorId: 'ann', fields: { pressureSources: ['time'] }, content: {} },
        },
      ]);
  });

  it('treats another person’s reflection, or none, as not found', () => {
    reflection
      .given(recorded)
      .when({ type: 'AmendReflection', actorId: 'bob', fields: { ladderRung: 'co_design' }, content: {} })
      .then('REFLECTION.NOT_FOUND');
    reflection.given([]).when({ type: 'WithdrawReflection', actorId: 'ann' }).then('REFLECTION.NOT_FOUND');
  });

  it('withdraws, and then refuses any amendment or second withdrawal with a conflict', () => {
    const withdrawn = reflection
      .given(recorded)
      .when({ type: 'WithdrawReflection', actorId: 'ann' })
      .then([{ type: 'ReflectionWithdrawn', data: { reflectionId: 'r-1', authorId: 'ann' } }]);
    const history = [...recorded, ...withdrawn];
    expect(stateOf(history).status).toBe('withdrawn');
    reflection
      .given(history)
      .when({ type: 'AmendReflection', actorId: 'ann', fields: { ladderRung: 'co_design' }, content: {} })
      .then('REFLECTION.WITHDRAWN');
    reflection.given(history).when({ type: 'WithdrawReflection', actorId: 'ann' }).then('REFLECTION.WITHDRAWN');
  });

  it('replays to the same state every time', () => {
    const events = [
      ...recorded,
      ...reflectionDecider.decide(
        { type: 'AmendReflection', actorId: 'ann', fields: { occurredOn: '2026-03-01' }, content: { soWhat: 's2' } },
        stateOf(recorded),
      ),
    ];
    expect(replay(events)).toEqual(replay(events));
    expect(replay(events)).toMatchObject({ content: { ...content, soWhat: 's2' } });
  });
});

describe('a person: consent and erasure', () => {
  it('gives and withdraws consent, recording when, and ignores repeats', () => {
    const given1 = person
      .given([])
      .when({ type: 'SetResearchConsent', personId: 'ann', granted: true, at: '2026-01-01T00:00:00.000Z' })
      .then([{ type: 'ResearchConsentGiven', data: { personId: 'ann', since: '2026-01-01T00:00:00.000Z' } }]);
    person
      .given(given1)
      .when({ type: 'SetResearchConsent', personId: 'ann', granted: true, at: '2026-02-01T00:00:00.000Z' })
      .then([]);
    const withdrawn = person
      .given(given1)
      .when({ type: 'SetResearchConsent', personId: 'ann', granted: false, at: '2026-02-01T00:00:00.000Z' })
      .then([{ type: 'ResearchConsentWithdrawn', data: { personId: 'ann', since: '2026-02-01T00:00:00.000Z' } }]);
    expect(replayPerson([...given1, ...withdrawn])).toEqual({
      consent: false,
      since: '2026-02-01T00:00:00.000Z',
      erased: false,
    });
  });

  it('has nothing to withdraw when consent was never given', () => {
    person.given([]).when({ type: 'SetResearchConsent', personId: 'ann', granted: false, at: 'x' }).then([]);
  });

  it('erases once; afterwards consent can no longer be changed', () => {
    const erased = person
      .given([])
      .when({ type: 'ErasePersonalData', personId: 'ann' })
      .then([{ type: 'PersonalDataErased', data: { personId: 'ann' } }]);
    expect(replayPerson(erased)).toEqual({ ...INITIAL_PERSON, erased: true });
    person.given(erased).when({ type: 'ErasePersonalData', personId: 'ann' }).then([]);
    person
      .given(erased)
      .when({ type: 'SetResearchConsent', personId: 'ann', granted: true, at: 'x' })
      .then('PERSON.ERASED');
  });
});
