import { DomainError } from '@praxis/common';
import { AccountCommand, decide, foldAccount } from './account';
import { AccountEvent } from './identity-events';

const ID = '00000000-0000-4000-8000-0000000000a1';
const INV1 = '00000000-0000-4000-8000-0000000000b1';
const INV2 = '00000000-0000-4000-8000-0000000000b2';
const RESET = '00000000-0000-4000-8000-0000000000c1';
const NOW = new Date('2026-11-30T12:00:00Z');
const WEEK = new Date('2026-12-07T12:00:00Z');

/** given(events).when(command) → the events decided, or the error's code. */
const given = (events: AccountEvent[]) => ({
  when: (command: AccountCommand): AccountEvent[] | string => {
    try {
      return decide(command, foldAccount(events));
    } catch (error) {
      return (error as DomainError).code;
    }
  },
});

const issued = (invitationId: string, expiresAt = WEEK): AccountEvent => ({
  type: 'InvitationIssued',
  data: { accountId: ID, invitationId, expiresAt: expiresAt.toISOString() },
});
const accepted: AccountEvent = { type: 'InvitationAccepted', data: { accountId: ID, invitationId: INV2 } };

describe('an account’s own stream: invitations, passwords, resets', () => {
  it('invites a researcher with its role, a member without', () => {
    expect(
      given([]).when({ type: 'Invite', accountId: ID, invitationId: INV1, expiresAt: WEEK, role: 'researcher' }),
    ).toEqual([{ type: 'AccountInvited', data: { accountId: ID, role: 'researcher' } }, issued(INV1)]);
    expect(given([]).when({ type: 'Invite', accountId: ID, invitationId: INV1, expiresAt: WEEK })).toEqual([
      issued(INV1),
    ]);
    expect(given([issued(INV1)]).when({ type: 'Invite', accountId: ID, invitationId: INV2, expiresAt: WEEK })).toBe(
      'ACCOUNT.ALREADY_INVITED',
    );
  });

  it('accepts only the newest invitation, once, before it expires', () => {
    const history = [issued(INV1), issued(INV2)];
    expect(given(history).when({ type: 'AcceptInvitation', accountId: ID, invitationId: INV1, now: NOW })).toBe(
      'INVITATION.GONE',
    );
    expect(given(history).when({ type: 'AcceptInvitation', accountId: ID, invitationId: INV2, now: WEEK })).toBe(
      'INVITATION.GONE',
    );
    expect(given(history).when({ type: 'AcceptInvitation', accountId: ID, invitationId: INV2, now: NOW })).toEqual([
      accepted,
    ]);
    expect(
      given([...history, accepted]).when({ type: 'AcceptInvitation', accountId: ID, invitationId: INV2, now: NOW }),
    ).toBe('INVITATION.GONE');
  });

  it('sends again only while the person has not set a password', () => {
    expect(
      given([issued(INV1)]).when({ type: 'Reinvite', accountId: ID, invitationId: INV2, expiresAt: WEEK }),
    ).toEqual([issued(INV2)]);
    expect(
      given([issued(INV1), accepted]).when({ type: 'Reinvite', accountId: ID, invitationId: INV2, expiresAt: WEEK }),
    ).toBe('ACCOUNT.ALREADY_ACTIVE');
    expect(given([]).when({ type: 'Reinvite', accountId: ID, invitationId: INV2, expiresAt: WEEK })).toBe(
      'ACCOUNT.ALREADY_ACTIVE',
    );
  });

  it('changes a password of an active account, never of one still invited', () => {
    expect(given([issued(INV1)]).when({ type: 'ChangePassword', accountId: ID })).toBe('ACCOUNT.NOT_ACTIVE');
    expect(given([issued(INV2), accepted]).when({ type: 'ChangePassword', accountId: ID })).toEqual([
      { type: 'PasswordChanged', data: { accountId: ID } },
    ]);
    // An account made active elsewhere (the demo's members) has no history here and may change it too.
    expect(given([]).when({ type: 'ChangePassword', accountId: ID })).toEqual([
      { type: 'PasswordChanged', data: { accountId: ID } },
    ]);
  });

  it('resets with the newest link, once, within the hour; an invited account gets nothing and is told nothing', () => {
    const hour = new Date(NOW.getTime() + 3_600_000);
    const requested: AccountEvent = {
      type: 'PasswordResetRequested',
      data: { accountId: ID, resetId: RESET, expiresAt: hour.toISOString() },
    };
    expect(
      given([issued(INV1)]).when({ type: 'RequestPasswordReset', accountId: ID, resetId: RESET, expiresAt: hour }),
    ).toEqual([]);
    expect(given([]).when({ type: 'RequestPasswordReset', accountId: ID, resetId: RESET, expiresAt: hour })).toEqual([
      requested,
    ]);
    expect(given([requested]).when({ type: 'ConfirmPasswordReset', accountId: ID, resetId: RESET, now: NOW })).toEqual([
      { type: 'PasswordReset', data: { accountId: ID, resetId: RESET } },
    ]);
    expect(given([requested]).when({ type: 'ConfirmPasswordReset', accountId: ID, resetId: RESET, now: hour })).toBe(
      'PASSWORD_RESET.GONE',
    );
    const done: AccountEvent = { type: 'PasswordReset', data: { accountId: ID, resetId: RESET } };
    expect(
      given([requested, done]).when({ type: 'ConfirmPasswordReset', accountId: ID, resetId: RESET, now: NOW }),
    ).toBe('PASSWORD_RESET.GONE');
    // A password change in between kills the reset link too.
    const changed: AccountEvent = { type: 'PasswordChanged', data: { accountId: ID } };
    expect(
      given([requested, changed]).when({ type: 'ConfirmPasswordReset', accountId: ID, resetId: RESET, now: NOW }),
    ).toBe('PASSWORD_RESET.GONE');
  });
});
