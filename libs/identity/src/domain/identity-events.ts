import { MemberRole, PlatformRole } from './roles';

/**
 * Identity events. Stored type names are these literal strings, never class
 * names; every event is schemaVersion 1 so far. The email and the password
 * hash never enter the log: they are personal or secret, and the log is
 * immutable, so they live in the `accounts` table beside it.
 */
export type OrganisationCreated = {
  type: 'OrganisationCreated';
  data: { organisationId: string; name: string };
};
export type TeamCreated = {
  type: 'TeamCreated';
  data: { organisationId: string; teamId: string; name: string };
};
export type MemberJoined = {
  type: 'MemberJoined';
  data: { organisationId: string; accountId: string; role: MemberRole; teamId: string | null };
};
export type MemberTeamChanged = {
  type: 'MemberTeamChanged';
  data: { organisationId: string; accountId: string; fromTeamId: string | null; toTeamId: string | null };
};

/** One stream per organisation holds its teams and memberships, so one version guards them all. */
export type OrganisationEvent = OrganisationCreated | TeamCreated | MemberJoined | MemberTeamChanged;

/** Admins and researchers belong to no organisation: each has a stream of its own. */
export type AccountRegistered = {
  type: 'AccountRegistered';
  data: { accountId: string; role: PlatformRole };
};
export type AccountEvent = AccountRegistered;

export type IdentityEvent = OrganisationEvent | AccountEvent;

export const ORGANISATION_EVENT_TYPES = ['OrganisationCreated', 'TeamCreated', 'MemberJoined', 'MemberTeamChanged'] as const;
export const ACCOUNT_EVENT_TYPES = ['AccountRegistered'] as const;
export const IDENTITY_EVENT_TYPES: readonly IdentityEvent['type'][] = [...ORGANISATION_EVENT_TYPES, ...ACCOUNT_EVENT_TYPES];

export const organisationStream = (organisationId: string): string => `organisation-${organisationId}`;
export const accountStream = (accountId: string): string => `account-${accountId}`;

export function assertNever(value: never): never {
  throw new Error(`unhandled identity event: ${JSON.stringify(value)}`);
}
