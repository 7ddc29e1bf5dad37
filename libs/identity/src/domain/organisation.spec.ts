import { deciderSpec } from '@praxis/testing';
import { OrganisationEvent } from './identity-events';
import { foldOrganisation, organisationDecider } from './organisation';

const ORG = '00000000-0000-4000-8000-000000000001';
const TEAM_A = '00000000-0000-4000-8000-0000000000a1';
const TEAM_B = '00000000-0000-4000-8000-0000000000b1';
const WORKER = '00000000-0000-4000-8000-0000000000c1';

const { given } = deciderSpec(organisationDecider);

const history: OrganisationEvent[] = [
  { type: 'OrganisationCreated', data: { organisationId: ORG, name: 'Riverside' } },
  { type: 'TeamCreated', data: { organisationId: ORG, teamId: TEAM_A, name: 'Housing' } },
];

describe('organisation decide/evolve', () => {
  it('creates an organisation once', () => {
    given([])
      .when({ type: 'CreateOrganisation', organisationId: ORG, name: '  Riverside ' })
      .then([{ type: 'OrganisationCreated', data: { organisationId: ORG, name: 'Riverside' } }]);
    given(history)
      .when({ type: 'CreateOrganisation', organisationId: ORG, name: 'x' })
      .then('ORGANISATION.ALREADY_EXISTS');
  });

  it('refuses anything but creation on an organisation that does not exist', () => {
    given([]).when({ type: 'CreateTeam', teamId: TEAM_B, name: 'Peer' }).then('ORGANISATION.NOT_FOUND');
  });

  it('creates teams with names unique without regard to case', () => {
    given(history)
      .when({ type: 'CreateTeam', teamId: TEAM_B, name: 'Peer recovery' })
      .then([{ type: 'TeamCreated', data: { organisationId: ORG, teamId: TEAM_B, name: 'Peer recovery' } }]);
    given(history).when({ type: 'CreateTeam', teamId: TEAM_B, name: 'HOUSING' }).then('TEAM.NAME_TAKEN');
  });

  it('adds a member only to a team of this organisation, and only once', () => {
    given(history)
      .when({ type: 'AddMember', accountId: WORKER, role: 'worker', teamId: TEAM_A })
      .then([
        { type: 'MemberJoined', data: { organisationId: ORG, accountId: WORKER, role: 'worker', teamId: TEAM_A } },
      ]);
    given(history)
      .when({ type: 'AddMember', accountId: WORKER, role: 'leader', teamId: null })
      .then([{ type: 'MemberJoined', data: { organisationId: ORG, accountId: WORKER, role: 'leader', teamId: null } }]);
    given(history)
      .when({ type: 'AddMember', accountId: WORKER, role: 'worker', teamId: TEAM_B })
      .then('MEMBER.TEAM_NOT_IN_ORGANISATION');
    const joined = given(history)
      .when({ type: 'AddMember', accountId: WORKER, role: 'worker', teamId: null })
      .then([{ type: 'MemberJoined', data: { organisationId: ORG, accountId: WORKER, role: 'worker', teamId: null } }]);
    given([...history, ...joined])
      .when({ type: 'AddMember', accountId: WORKER, role: 'worker', teamId: null })
      .then('MEMBER.ALREADY_JOINED');
  });

  it('invites a member on the same terms, as MemberInvited', () => {
    given(history)
      .when({ type: 'InviteMember', accountId: WORKER, role: 'worker', teamId: TEAM_A })
      .then([
        { type: 'MemberInvited', data: { organisationId: ORG, accountId: WORKER, role: 'worker', teamId: TEAM_A } },
      ]);
    given(history)
      .when({ type: 'InviteMember', accountId: WORKER, role: 'worker', teamId: TEAM_B })
      .then('MEMBER.TEAM_NOT_IN_ORGANISATION');
  });

  it('moves a member between teams, recording where from, and does nothing when nothing changes', () => {
    const withTeamB: OrganisationEvent[] = [
      ...history,
      { type: 'TeamCreated', data: { organisationId: ORG, teamId: TEAM_B, name: 'Peer' } },
      { type: 'MemberJoined', data: { organisationId: ORG, accountId: WORKER, role: 'worker', teamId: TEAM_A } },
    ];
    const moved = given(withTeamB)
      .when({ type: 'ChangeTeam', accountId: WORKER, teamId: TEAM_B })
      .then([
        {
          type: 'MemberTeamChanged',
          data: { organisationId: ORG, accountId: WORKER, fromTeamId: TEAM_A, toTeamId: TEAM_B },
        },
      ]);
    expect(foldOrganisation([...withTeamB, ...moved])).toMatchObject({
      members: { [WORKER]: { role: 'worker', teamId: TEAM_B } },
    });
    given(withTeamB).when({ type: 'ChangeTeam', accountId: WORKER, teamId: TEAM_A }).then([]);
    given(withTeamB).when({ type: 'ChangeTeam', accountId: TEAM_A, teamId: null }).then('MEMBER.NOT_FOUND');
  });
});
