import { JournalSearch } from './journal-search';

/** The journal's filter as the page receives it: what it keeps, and what it refuses with a message a person can act on. */
describe('journal filter', () => {
  it('keeps what is given, trimmed, and drops what is empty', () => {
    expect(
      JournalSearch.filterOf({
        from: '2026-01-01',
        to: '',
        rung: 'co_design',
        pressure: ' ',
        challenge: 'time',
        q: '  allotment  ',
        older: 'x',
      }),
    ).toEqual({
      from: '2026-01-01',
      rung: 'co_design',
      challenge: 'time',
      q: 'allotment',
    });
    expect(JournalSearch.filterOf({ q: ['a', 'b'] })).toEqual({}); // a repeated parameter is not a search
  });

  it.each([
    [{ from: '2026-02-30' }, 'The "From" date must be a real date'],
    [{ to: 'yesterday' }, 'The "To" date must be a real date'],
    [{ from: '2026-03-01', to: '2026-01-01' }, 'The "From" date must not be after the "To" date'],
    [{ rung: 'top' }, 'Choose a rung from the list'],
    [{ pressure: 'high' }, 'Choose a pressure level from the list'],
    [{ challenge: 'weather' }, 'Choose a challenge from the list'],
    [{ q: 'x'.repeat(201) }, 'Search for at most 200 characters'],
  ])('refuses %j', (query, message) => {
    expect(() => JournalSearch.filterOf(query)).toThrow(message);
  });
});
