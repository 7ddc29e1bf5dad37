import { FIELD_LABELS } from '@praxis/journal';
import { validateNew } from './reflection-form';

const CODE_NAMES = [...Object.keys(FIELD_LABELS), 'advocacy.argument', 'advocacy.reception'];
const mentionsACode = (message: string) =>
  CODE_NAMES.some((code) => new RegExp(`\\b${code.replace('.', '\\.')}\\b`).test(message));

/** The time the forms are validated at: the Clock's, never the wall clock's. */
const NOW = new Date('2026-06-01T12:00:00Z');

/** The form speaks the form's words: every message names the field as its label does, never the code. */
describe('form error messages', () => {
  it('an empty form asks for the four things it needs, in the form’s words', async () => {
    const { dto, errors } = await validateNew({ occurredOn: '', whatHappened: '' }, NOW);
    expect(dto).toBeUndefined();
    expect(errors).toEqual({
      occurredOn: 'Enter the date it happened',
      whatHappened: 'Describe what happened',
      ladderRung: 'Choose the rung you reached',
      resourcePressure: 'Choose the resource pressure you worked under',
    });
    // In the page's order: the summary reads top to bottom like the form.
    expect(Object.keys(errors)).toEqual(['occurredOn', 'whatHappened', 'resourcePressure', 'ladderRung']);
  });

  it.each([
    ['a future date', { occurredOn: '2999-01-01' }, 'occurredOn', 'The date it happened must not be in the future'],
    [
      'a date before 2000',
      { occurredOn: '1999-12-31' },
      'occurredOn',
      'The date it happened must not be before 1 January 2000',
    ],
    ['no such day', { occurredOn: '2026-02-30' }, 'occurredOn', 'The date it happened must be a real date'],
    ['text too long', { soWhat: 'x'.repeat(10_001) }, 'soWhat', 'What does it mean? must be at most 10000 characters'],
    ['an unknown rung', { ladderRung: 'top' }, 'ladderRung', 'Choose the rung you reached'],
    [
      'an unknown challenge',
      { challenges: ['weather'] },
      'challenges',
      'What got in the way: choose from the options shown',
    ],
    [
      'an unknown argument',
      { advocacyArgument: 'loud' },
      'advocacyArgument',
      'The case you made for co-production: choose from the options shown',
    ],
    [
      'an unknown reception',
      { advocacyArgument: 'ethical', advocacyReception: 'cold' },
      'advocacyReception',
      'How the case was received: choose from the options shown',
    ],
    ['too many tags', { tags: 'a,b,c,d,e,f,g,h,i,j,k' }, 'tags', 'Tags must have at most 10 entries'],
    ['a tag too long', { tags: 'x'.repeat(41) }, 'tags', 'Each tag must be at most 40 characters'],
    ['the same tag twice', { tags: 'a, a' }, 'tags', 'Tags must not list the same tag twice'],
  ])('%s', async (_, change, field, message) => {
    const base = {
      occurredOn: '2026-01-05',
      whatHappened: 'Met the panel',
      ladderRung: 'co_design',
      resourcePressure: 'stretched',
    };
    const { errors } = await validateNew({ ...base, ...change }, NOW);
    expect(errors[field]).toBe(message);
    for (const m of Object.values(errors)) expect(mentionsACode(m)).toBe(false);
  });

  it('"the future" is as of the time it is validated at: today anywhere on Earth is allowed, the day after is not', async () => {
    const base = { whatHappened: 'Met the panel', ladderRung: 'co_design', resourcePressure: 'stretched' };
    // 12:00 UTC on 1 June: already 2 June at UTC+14, not yet 3 June anywhere.
    expect((await validateNew({ ...base, occurredOn: '2026-06-02' }, NOW)).errors).toEqual({});
    expect((await validateNew({ ...base, occurredOn: '2026-06-03' }, NOW)).errors).toEqual({
      occurredOn: 'The date it happened must not be in the future',
    });
  });
});
