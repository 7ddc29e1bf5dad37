import { DomainError } from '@praxis/common';
import { OrganisationEvent } from './identity-events';
import { decide, EMPTY_ORGANISATION, foldOrganisation } from './organisation';

const ORG = '00000000-0000-4000-8000-000000000001';
const TEAM_A = '00000000-0000-4000-8000-0000000000a1';
const TEAM_B = '00000000-0000-4000-8000-0000000000b1';
const WORKER = '00000000-0000-4000-8000-0000000000c1';

const history: OrganisationEvent[] = [
  { type: 'OrganisationCreated', data: { organisationId: ORG, name: 'Riverside' } },
  { type: 'TeamCreated', data: { organisationId: ORG, teamId: TEAM_A, name: 'Housing' } },
];

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as DomainError).code;
  }
  return undefined;
}

describe('organisation decide/evolve', () => {
  it('creates an organisation once', () => {
    expect(
      decide({ type: 'CreateOrganisation', organisationId: ORG, name: '  Riverside ' }, EMPTY_ORGANISATION),
    ).toEqual([{ type: 'OrganisationCreated', data: { organisationId: ORG, name: 'Riverside' } }]);
    expect(
      errorCode(() =>
        decide({ type: 'CreateOrganisation', organisationId: ORG, name: 'x' }, foldOrganisation(history)),
      ),
    ).toBe('ORGANISATION.ALREADY_EXISTS');
  });

  it('refuses anything but creation on an organisation that does not exist', () => {
    expect(errorCode(() => decide({ type: 'CreateTeam', teamId: TEAM_B, name: 'Peer' }, EMPTY_ORGANISATION))).toBe(
      'ORGANISATION.NOT_FOUND',
    );
  });

  it('creates teams with names unique without regard to case', () => {
    const state = foldOrganisation(history);
    expect(decide({ type: 'CreateTeam', teamId: TEAM_B, name: 'Peer recovery' }, state)).toEqual([
      { type: 'TeamCreated', data: { organisationId: ORG, teamId: TEAM_B, name: 'Peer recovery' } },
    ]);
    expect(errorCode(() => decide({ type: 'CreateTeam', teamId: TEAM_B, name: 'HOUSING' }, state))).toBe(
      'TEAM.NAME_TAKEN',
    );
  });

  it('adds a member only to a team of this organisation, and only once', () => {
    const state = foldOrganisation(history);
    expect(decide({ type: 'AddMember', accountId: WORKER, role: 'worker', teamId: TEAM_A }, state)).toEqual([
      { type: 'MemberJoined', data: { organisationId: ORG, accountId: WORKER, role: 'worker', teamId: TEAM_A } },
    ]);
    expect(decide({ type: 'AddMember', accountId: WORKER, role: 'leader', teamId: null }, state)[0].data).toMatchObject(
      { teamId: null },
    );
    expect(
      errorCode(() => decide({ type: 'AddMember', accountId: WORKER, role: 'worker', teamId: TEAM_B }, state)),
    ).toBe('MEMBER.TEAM_NOT_IN_ORGANISATION');
    const joined = foldOrganisation([
      ...history,
      ...decide({ type: 'AddMember', accountId: WORKER, role: 'worker', teamId: null }, state),
    ]);
    expect(
      errorCode(() => decide({ type: 'AddMember', accountId: WORKER, role: 'worker', teamId: null }, joined)),
    ).toBe('MEMBER.ALREADY_JOINED');
  });

  it('moves a member between teams, recording where from, and does nothing when nothing changes', () => {
    const withTeamB: OrganisationEvent[] = [
      ...history,
      { type: 'TeamCreated', data: { organisationId: ORG, teamId: TEAM_B, name: 'Peer' } },
      { type: 'MemberJoined', data: { organisationId: ORG, accountId: WORKER, role: 'worker', teamId: TEAM_A } },
    ];
    const state = foldOrganisation(withTeamB);
    const moved = decide({ type: 'ChangeTeam', accountId: WORKER, teamId: TEAM_B }, state);
    expect(moved).toEqual([
      {
        type: 'MemberTeamChanged',
        data: { organisationId: ORG, accountId: WORKER, fromTeamId: TEAM_A, toTeamId: TEAM_B },
      },
    ]);
    expect(foldOrganisation([...withTeamB, ...moved]).members[WORKER]).toEqual({ role: 'worker', teamId: TEAM_B });
    expect(decide({ type: 'ChangeTeam', accountId: WORKER, teamId: TEAM_A }, state)).toEqual([]);
    expect(errorCode(() => decide({ type: 'ChangeTeam', accountId: TEAM_A, teamId: null }, state))).toBe(
      'MEMBER.NOT_FOUND',
    );
  });
});
