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
/** A member added by an admin's invitation: the membership exists, the account waits for its owner's password. */
export type MemberInvited = {
  type: 'MemberInvited';
  data: { organisationId: string; accountId: string; role: MemberRole; teamId: string | null };
};
export type MemberTeamChanged = {
  type: 'MemberTeamChanged';
  data: { organisationId: string; accountId: string; fromTeamId: string | null; toTeamId: string | null };
};

/** One stream per organisation holds its teams and memberships, so one version guards them all. */
export type OrganisationEvent = OrganisationCreated | TeamCreated | MemberJoined | MemberInvited | MemberTeamChanged;

/** Admins and researchers belong to no organisation: each has a stream of its own. */
export type AccountRegistered = {
  type: 'AccountRegistered';
  data: { accountId: string; role: PlatformRole };
};
/** A researcher (or admin) invited by an admin: no password until its owner sets one. */
export type AccountInvited = {
  type: 'AccountInvited';
  data: { accountId: string; role: PlatformRole };
};
/**
 * Every account's own stream also holds its credentials' history — never the
 * secrets themselves (a password hash, a token): those live beside the log,
 * written in the same transaction as the event that names them.
 */
export type InvitationIssued = {
  type: 'InvitationIssued';
  data: { accountId: string; invitationId: string; expiresAt: string };
};
export type InvitationAccepted = {
  type: 'InvitationAccepted';
  data: { accountId: string; invitationId: string };
};
export type PasswordChanged = {
  type: 'PasswordChanged';
  data: { accountId: string };
};
export type PasswordResetRequested = {
  type: 'PasswordResetRequested';
  data: { accountId: string; resetId: string; expiresAt: string };
};
export type PasswordReset = {
  type: 'PasswordReset';
  data: { accountId: string; resetId: string };
};
export type AccountEvent =
  | AccountRegistered
  | AccountInvited
  | InvitationIssued
  | InvitationAccepted
  | PasswordChanged
  | PasswordResetRequested
  | PasswordReset;

export type IdentityEvent = OrganisationEvent | AccountEvent;

export const ORGANISATION_EVENT_TYPES = [
  'OrganisationCreated',
  'TeamCreated',
  'MemberJoined',
  'MemberInvited',
  'MemberTeamChanged',
] as const;
export const ACCOUNT_EVENT_TYPES = [
  'AccountRegistered',
  'AccountInvited',
  'InvitationIssued',
  'InvitationAccepted',
  'PasswordChanged',
  'PasswordResetRequested',
  'PasswordReset',
] as const;
export const IDENTITY_EVENT_TYPES: readonly IdentityEvent['type'][] = [
  ...ORGANISATION_EVENT_TYPES,
  ...ACCOUNT_EVENT_TYPES,
];

export const organisationStream = (organisationId: string): string => `organisation-${organisationId}`;
export const accountStream = (accountId: string): string => `account-${accountId}`;

export function assertNever(value: never): never {
  throw new Error(`unhandled identity event: ${JSON.stringify(value)}`);
}
