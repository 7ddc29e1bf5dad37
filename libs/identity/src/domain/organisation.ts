import { IdentityErrors } from './identity-errors';
import { assertNever, OrganisationEvent, ORGANISATION_EVENT_TYPES } from './identity-events';
import { MemberRole } from './roles';

/** What the organisation stream decides with, once created: its teams and who is a member of which. */
export interface CreatedOrganisation {
  readonly status: 'created';
  readonly organisationId: string;
  readonly name: string;
  readonly teams: Readonly<Record<string, { name: string }>>;
  readonly members: Readonly<Record<string, { role: MemberRole; teamId: string | null }>>;
}

export type OrganisationState = { readonly status: 'none' } | CreatedOrganisation;

export const EMPTY_ORGANISATION: OrganisationState = Object.freeze({ status: 'none' });

/** The organisation, if it exists: nothing but its creation can be decided on one that does not. */
export function existingOrganisation(state: OrganisationState): CreatedOrganisation {
  if (state.status === 'none') throw IdentityErrors.organisationNotFound();
  return state;
}

export type OrganisationCommand =
  | { type: 'CreateOrganisation'; organisationId: string; name: string }
  | { type: 'CreateTeam'; teamId: string; name: string }
  | { type: 'AddMember'; accountId: string; role: MemberRole; teamId: string | null }
  | { type: 'InviteMember'; accountId: string; role: MemberRole; teamId: string | null }
  | { type: 'ChangeTeam'; accountId: string; teamId: string | null };

export function evolve(state: OrganisationState, event: OrganisationEvent): OrganisationState {
  if (event.type === 'OrganisationCreated') {
    const { organisationId, name } = event.data;
    return { status: 'created', organisationId, name, teams: {}, members: {} };
  }
  // decide() lets nothing precede OrganisationCreated; a stream that somehow did stays 'none'.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'TeamCreated':
      return { ...state, teams: { ...state.teams, [event.data.teamId]: { name: event.data.name } } };
    case 'MemberJoined':
    case 'MemberInvited':
      return {
        ...state,
        members: { ...state.members, [event.data.accountId]: { role: event.data.role, teamId: event.data.teamId } },
      };
    case 'MemberTeamChanged': {
      const member = state.members[event.data.accountId];
      return {
        ...state,
        members: { ...state.members, [event.data.accountId]: { ...member, teamId: event.data.toTeamId } },
      };
    }
    default:
      return assertNever(event);
  }
}

export const foldOrganisation = (events: readonly OrganisationEvent[]): OrganisationState =>
  events.reduce(evolve, EMPTY_ORGANISATION);

/** Pure: the events a command produces against the current state, or a domain error. */
export function decide(command: OrganisationCommand, state: OrganisationState): OrganisationEvent[] {
  if (command.type === 'CreateOrganisation') {
    if (state.status !== 'none') throw IdentityErrors.organisationExists();
    return [
      { type: 'OrganisationCreated', data: { organisationId: command.organisationId, name: command.name.trim() } },
    ];
  }
  const organisation = existingOrganisation(state);
  const organisationId = organisation.organisationId;
  switch (command.type) {
    case 'CreateTeam': {
      const name = command.name.trim();
      const taken = Object.values(organisation.teams).some((t) => t.name.toLowerCase() === name.toLowerCase());
      if (taken) throw IdentityErrors.teamNameTaken(name);
      return [{ type: 'TeamCreated', data: { organisationId, teamId: command.teamId, name } }];
    }
    case 'AddMember':
    case 'InviteMember': {
      if (command.teamId !== null && !organisation.teams[command.teamId]) throw IdentityErrors.teamNotInOrganisation();
      if (organisation.members[command.accountId]) throw IdentityErrors.memberExists();
      const data = { organisationId, accountId: command.accountId, role: command.role, teamId: command.teamId };
      return [command.type === 'AddMember' ? { type: 'MemberJoined', data } : { type: 'MemberInvited', data }];
    }
    case 'ChangeTeam': {
      const member = organisation.members[command.accountId];
      if (!member) throw IdentityErrors.memberNotFound();
      if (command.teamId !== null && !organisation.teams[command.teamId]) throw IdentityErrors.teamNotInOrganisation();
      if (member.teamId === command.teamId) return [];
      return [
        {
          type: 'MemberTeamChanged',
          data: { organisationId, accountId: command.accountId, fromTeamId: member.teamId, toTeamId: command.teamId },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

export const organisationDecider = {
  decide,
  evolve,
  initial: EMPTY_ORGANISATION,
  eventTypes: ORGANISATION_EVENT_TYPES,
};
