import { parseInviteCsv } from './invite-csv';

const TEAMS = [{ id: 't1', name: 'Housing support' }];
const errorsOf = (csv: string): string[] => {
  const parsed = parseInviteCsv(csv, TEAMS);
  if (!('errors' in parsed)) throw new Error('expected errors');
  return parsed.errors;
};

describe('parseInviteCsv', () => {
  it('numbers a problem by its line in the box, counting a header line', () => {
    expect(errorsOf('email,role,team\nsam@example.org, worker, Housing support\nbad, worker,')).toEqual([
      'Line 3: "bad" is not an email address.',
    ]);
  });

  it('counts blank lines and finds a quoted value spread over lines by its first line', () => {
    expect(
      errorsOf(
        'sam@example.org, worker,\n\nkim@example.org, boss,\n"two\nlines", worker,\nlee@example.org,worker,Nope',
      ),
    ).toEqual([
      'Line 3: the role must be worker or leader (not "boss").',
      'Line 4: "two\nlines" is not an email address.',
      'Line 6: this organisation has no team called "Nope".',
    ]);
  });

  it('reads the rows under a header', () => {
    expect(parseInviteCsv('Email, Role, Team\nsam@example.org, Leader, housing support', TEAMS)).toEqual({
      rows: [{ email: 'sam@example.org', role: 'leader', teamId: 't1' }],
    });
  });
});
