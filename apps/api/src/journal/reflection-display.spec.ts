import { HistoryEntry } from '@praxis/journal';
import { describeHistory } from './reflection-display';

const coded = { occurredOn: '2026-03-02', ladderRung: 'consultation', resourcePressure: 'stretched' };

describe('a reflection’s history as its author reads it', () => {
  const history: HistoryEntry[] = [
    {
      type: 'ReflectionRecorded',
      version: 1,
      recordedAt: '2026-03-02T10:00:00.000Z',
      data: { reflectionId: 'r', fields: coded, whatHappened: 'Tenants’ forum.', soWhat: null },
    },
    {
      // The form sends every field: only the pressure and the meaning changed.
      type: 'ReflectionAmended',
      version: 2,
      recordedAt: '2026-03-03T10:00:00.000Z',
      data: {
        reflectionId: 'r',
        fields: { ...coded, resourcePressure: 'severe' },
        whatHappened: 'Tenants’ forum.',
        soWhat: 'Managers were not on board.',
      },
    },
    { type: 'ReflectionAmended', version: 3, recordedAt: '2026-03-04T10:00:00.000Z', data: { soWhat: null } },
  ];

  it('shows what it said when written, then only what each change changed', () => {
    const [written, changed, cleared] = describeHistory(history);
    expect(written.what).toBe('Written');
    // In the form's order, only what was filled in (nothing for the meaning, left empty).
    expect(written.changes.map((c) => c.field)).toEqual([
      'When did it happen?',
      'What happened?',
      'The rung you reached',
      'Resource pressure',
    ]);
    expect(written.changes.find((c) => c.field === 'What happened?')?.value).toBe('Tenants’ forum.');
    expect(changed.changes).toEqual([
      { field: 'What does it mean?', value: 'Managers were not on board.' },
      { field: 'Resource pressure', value: expect.stringContaining('Severe') },
    ]);
    expect(cleared.changes).toEqual([{ field: 'What does it mean?', value: 'cleared' }]);
  });

  it('shows the case made and how it was received as the form’s two questions, either without the other', () => {
    const [written, changed] = describeHistory([
      {
        type: 'ReflectionRecorded',
        version: 1,
        recordedAt: '2026-03-02T10:00:00.000Z',
        data: { reflectionId: 'r', fields: { ...coded, advocacy: { argument: null, reception: 'resistant' } } },
      },
      {
        type: 'ReflectionAmended',
        version: 2,
        recordedAt: '2026-03-03T10:00:00.000Z',
        data: { fields: { ...coded, advocacy: { argument: 'ethical', reception: 'resistant' } } },
      },
    ]);
    expect(written.changes.slice(-1)).toEqual([{ field: 'How the case was received', value: 'Resistant' }]);
    expect(changed.changes).toEqual([
      { field: 'The case you made for co-production', value: 'It is the right thing to do' },
    ]);
  });
});
