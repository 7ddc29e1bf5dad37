import { decide, evolve, INITIAL_REFLECTION, ReflectionCommand, ReflectionState, replay } from './reflection';
import { decidePerson, INITIAL_PERSON, replayPerson } from './person';
import { CodedFields, ReflectionEvent } from './reflection-events';

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
const record: ReflectionCommand = {
  type: 'RecordReflection',
  reflectionId: 'r-1',
  authorId: 'ann',
  organisationId: 'org',
  teamId: 'team',
  researchConsent: true,
  fields,
  content,
};
const given = (...events: ReflectionEvent[]): ReflectionState => events.reduce(evolve, INITIAL_REFLECTION);
const recorded = decide(record, INITIAL_REFLECTION);

describe('a reflection: given events, when a command, then events or an error', () => {
  it('records a new reflection with its author, organisation, team and consent at the time', () => {
    expect(recorded).toEqual([
      {
        type: 'ReflectionRecorded',
        data: {
          reflectionId: 'r-1',
          authorId: 'ann',
          organisationId: 'org',
          teamId: 'team',
          researchConsent: true,
          fields,
          content,
        },
      },
    ]);
  });

  it('refuses to record the same reflection twice', () => {
    expect(() => decide(record, given(...recorded))).toThrow(
      expect.objectContaining({ code: 'REFLECTION.ALREADY_RECORDED' }),
    );
  });

  it('amends only what changed, keeping the rest', () => {
    const events = decide(
      {
        type: 'AmendReflection',
        actorId: 'ann',
        fields: { ladderRung: 'co_design', resourcePressure: 'stretched' },
        content: {},
      },
      given(...recorded),
    );
    expect(events).toEqual([
      {
        type: 'ReflectionAmended',
        data: { reflectionId: 'r-1', authorId: 'ann', fields: { ladderRung: 'co_design' }, content: {} },
      },
    ]);
    const state = given(...recorded, ...events);
    expect(state.fields).toEqual({ ...fields, ladderRung: 'co_design' });
  });

  it('records nothing for an amendment that changes nothing', () => {
    expect(
      decide(
        {
          type: 'AmendReflection',
          actorId: 'ann',
          fields: { ladderRung: 'consultation', challenges: ['time'] },
          content: {},
        },
        given(...recorded),
      ),
    ).toEqual([]);
  });

  it('treats another person’s reflection, or none, as not found', () => {
    const amend: ReflectionCommand = {
      type: 'AmendReflection',
      actorId: 'bob',
      fields: { ladderRung: 'co_design' },
      content: {},
    };
    expect(() => decide(amend, given(...recorded))).toThrow(expect.objectContaining({ code: 'REFLECTION.NOT_FOUND' }));
    expect(() => decide({ type: 'WithdrawReflection', actorId: 'ann' }, INITIAL_REFLECTION)).toThrow(
      expect.objectContaining({ code: 'REFLECTION.NOT_FOUND' }),
    );
  });

  it('withdraws, and then refuses any amendment or second withdrawal with a conflict', () => {
    const withdrawn = decide({ type: 'WithdrawReflection', actorId: 'ann' }, given(...recorded));
    expect(withdrawn).toEqual([{ type: 'ReflectionWithdrawn', data: { reflectionId: 'r-1', authorId: 'ann' } }]);
    const state = given(...recorded, ...withdrawn);
    expect(state.status).toBe('withdrawn');
    expect(() =>
      decide({ type: 'AmendReflection', actorId: 'ann', fields: { ladderRung: 'co_design' }, content: {} }, state),
    ).toThrow(expect.objectContaining({ code: 'REFLECTION.WITHDRAWN' }));
    expect(() => decide({ type: 'WithdrawReflection', actorId: 'ann' }, state)).toThrow(
      expect.objectContaining({ code: 'REFLECTION.WITHDRAWN' }),
    );
  });

  it('replays to the same state every time', () => {
    const events = [
      ...recorded,
      ...decide(
        { type: 'AmendReflection', actorId: 'ann', fields: { occurredOn: '2026-03-01' }, content: { soWhat: 's2' } },
        given(...recorded),
      ),
    ];
    expect(replay(events)).toEqual(replay(events));
    expect(replay(events).content).toEqual({ ...content, soWhat: 's2' });
  });
});

describe('a person: consent and erasure', () => {
  it('gives and withdraws consent, recording when, and ignores repeats', () => {
    const given1 = decidePerson(
      { type: 'SetResearchConsent', personId: 'ann', granted: true, at: '2026-01-01T00:00:00.000Z' },
      INITIAL_PERSON,
    );
    expect(given1).toEqual([
      { type: 'ResearchConsentGiven', data: { personId: 'ann', since: '2026-01-01T00:00:00.000Z' } },
    ]);
    const state = replayPerson(given1);
    expect(
      decidePerson(
        { type: 'SetResearchConsent', personId: 'ann', granted: true, at: '2026-02-01T00:00:00.000Z' },
        state,
      ),
    ).toEqual([]);
    const withdrawn = decidePerson(
      { type: 'SetResearchConsent', personId: 'ann', granted: false, at: '2026-02-01T00:00:00.000Z' },
      state,
    );
    expect(replayPerson([...given1, ...withdrawn])).toEqual({
      consent: false,
      since: '2026-02-01T00:00:00.000Z',
      erased: false,
    });
  });

  it('has nothing to withdraw when consent was never given', () => {
    expect(
      decidePerson({ type: 'SetResearchConsent', personId: 'ann', granted: false, at: 'x' }, INITIAL_PERSON),
    ).toEqual([]);
  });

  it('erases once; afterwards consent can no longer be changed', () => {
    const erased = decidePerson({ type: 'ErasePersonalData', personId: 'ann' }, INITIAL_PERSON);
    expect(erased).toEqual([{ type: 'PersonalDataErased', data: { personId: 'ann' } }]);
    const state = replayPerson(erased);
    expect(decidePerson({ type: 'ErasePersonalData', personId: 'ann' }, state)).toEqual([]);
    expect(() => decidePerson({ type: 'SetResearchConsent', personId: 'ann', granted: true, at: 'x' }, state)).toThrow(
      expect.objectContaining({ code: 'PERSON.ERASED' }),
    );
  });
});
