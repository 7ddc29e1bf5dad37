import { IdentityErrors } from './identity-errors';
import { AccountEvent, assertNever, ACCOUNT_EVENT_TYPES } from './identity-events';
import { PlatformRole } from './roles';

/** One-time links: an invitation lasts a week, a password reset an hour. */
export const INVITATION_DAYS = 7;
export const RESET_MINUTES = 60;

interface Grant {
  readonly id: string;
  readonly expiresAt: string;
}

/**
 * What an account's own stream decides with. `none`: no history here — an
 * account made active elsewhere (the demo's and the tests' members join their
 * organisation's stream directly, with a password set by the seeder).
 */
export type AccountState =
  | { readonly status: 'none' }
  | { readonly status: 'invited'; readonly invitation: Grant }
  | { readonly status: 'active'; readonly reset: Grant | null };

export const NEW_ACCOUNT: AccountState = Object.freeze({ status: 'none' });

export type AccountCommand =
  /** An account whose password its owner set elsewhere (the first admin from configuration, the demo's). */
  | { type: 'Register'; accountId: string; role: PlatformRole }
  /** The first invitation; `role` for an account outside every organisation (a member's role is in its organisation's stream). */
  | { type: 'Invite'; accountId: string; invitationId: string; expiresAt: Date; role?: PlatformRole }
  | { type: 'Reinvite'; accountId: string; invitationId: string; expiresAt: Date }
  | { type: 'AcceptInvitation'; accountId: string; invitationId: string; now: Date }
  | { type: 'ChangePassword'; accountId: string }
  | { type: 'RequestPasswordReset'; accountId: string; resetId: string; expiresAt: Date }
  | { type: 'ConfirmPasswordReset'; accountId: string; resetId: string; now: Date };

export function evolve(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'AccountRegistered':
      return { status: 'active', reset: null };
    case 'AccountInvited':
      return state;
    case 'InvitationIssued':
      return { status: 'invited', invitation: { id: event.data.invitationId, expiresAt: event.data.expiresAt } };
    case 'InvitationAccepted':
    case 'PasswordChanged':
    case 'PasswordReset':
      return { status: 'active', reset: null };
    case 'PasswordResetRequested':
      return { status: 'active', reset: { id: event.data.resetId, expiresAt: event.data.expiresAt } };
    default:
      return assertNever(event);
  }
}

const live = (grant: Grant, id: string, now: Date) => grant.id === id && Date.parse(grant.expiresAt) > now.getTime();

/** Pure: the events a command produces against the account's state, or a domain error. */
export function decide(command: AccountCommand, state: AccountState): AccountEvent[] {
  const accountId = command.accountId;
  switch (command.type) {
    case 'Register':
      if (state.status !== 'none') throw IdentityErrors.accountExists();
      return [{ type: 'AccountRegistered', data: { accountId, role: command.role } }];
    case 'Invite': {
      if (state.status !== 'none') throw IdentityErrors.alreadyInvited();
      const issued: AccountEvent = {
        type: 'InvitationIssued',
        data: { accountId, invitationId: command.invitationId, expiresAt: command.expiresAt.toISOString() },
      };
      return command.role ? [{ type: 'AccountInvited', data: { accountId, role: command.role } }, issued] : [issued];
    }
    case 'Reinvite':
      if (state.status !== 'invited') throw IdentityErrors.alreadyActive();
      return [
        {
          type: 'InvitationIssued',
          data: { accountId, invitationId: command.invitationId, expiresAt: command.expiresAt.toISOString() },
        },
      ];
    case 'AcceptInvitation':
      if (state.status !== 'invited' || !live(state.invitation, command.invitationId, command.now))
        throw IdentityErrors.invitationGone();
      return [{ type: 'InvitationAccepted', data: { accountId, invitationId: command.invitationId } }];
    case 'ChangePassword':
      if (state.status === 'invited') throw IdentityErrors.notYetActive();
      return [{ type: 'PasswordChanged', data: { accountId } }];
    case 'RequestPasswordReset':
      // An account that was never activated has no password to reset: nothing happens, and the caller is told nothing.
      if (state.status === 'invited') return [];
      return [
        {
          type: 'PasswordResetRequested',
          data: { accountId, resetId: command.resetId, expiresAt: command.expiresAt.toISOString() },
        },
      ];
    case 'ConfirmPasswordReset':
      if (state.status !== 'active' || !state.reset || !live(state.reset, command.resetId, command.now))
        throw IdentityErrors.resetGone();
      return [{ type: 'PasswordReset', data: { accountId, resetId: command.resetId } }];
    default:
      return assertNever(command);
  }
}

export const accountDecider = { decide, evolve, initial: NEW_ACCOUNT, eventTypes: ACCOUNT_EVENT_TYPES };
