import { deciderSpec } from '@praxis/testing';
import { accountDecider } from './account';
import { AccountEvent } from './identity-events';

const ID = '00000000-0000-4000-8000-0000000000a1';
const INV1 = '00000000-0000-4000-8000-0000000000b1';
const INV2 = '00000000-0000-4000-8000-0000000000b2';
const RESET = '00000000-0000-4000-8000-0000000000c1';
const NOW = new Date('2026-11-30T12:00:00Z');
const WEEK = new Date('2026-12-07T12:00:00Z');

const { given } = deciderSpec(accountDecider);

const issued = (invitationId: string, expiresAt = WEEK): AccountEvent => ({
  type: 'InvitationIssued',
  data: { accountId: ID, invitationId, expiresAt: expiresAt.toISOString() },
});
const accepted: AccountEvent = { type: 'InvitationAccepted', data: { accountId: ID, invitationId: INV2 } };

describe('an account’s own stream: invitations, passwords, resets', () => {
  it('registers an account whose password is set elsewhere, once', () => {
    const registered: AccountEvent = { type: 'AccountRegistered', data: { accountId: ID, role: 'admin' } };
    given([]).when({ type: 'Register', accountId: ID, role: 'admin' }).then([registered]);
    given([registered]).when({ type: 'Register', accountId: ID, role: 'admin' }).then('ACCOUNT.ALREADY_EXISTS');
  });

  it('invites a researcher with its role, a member without', () => {
    given([])
      .when({ type: 'Invite', accountId: ID, invitationId: INV1, expiresAt: WEEK, role: 'researcher' })
      .then([{ type: 'AccountInvited', data: { accountId: ID, role: 'researcher' } }, issued(INV1)]);
    given([])
      .when({ type: 'Invite', accountId: ID, invitationId: INV1, expiresAt: WEEK })
      .then([issued(INV1)]);
    given([issued(INV1)])
      .when({ type: 'Invite', accountId: ID, invitationId: INV2, expiresAt: WEEK })
      .then('ACCOUNT.ALREADY_INVITED');
  });

  it('accepts only the newest invitation, once, before it expires', () => {
    const history = [issued(INV1), issued(INV2)];
    given(history)
      .when({ type: 'AcceptInvitation', accountId: ID, invitationId: INV1, now: NOW })
      .then('INVITATION.GONE');
    given(history)
      .when({ type: 'AcceptInvitation', accountId: ID, invitationId: INV2, now: WEEK })
      .then('INVITATION.GONE');
    given(history).when({ type: 'AcceptInvitation', accountId: ID, invitationId: INV2, now: NOW }).then([accepted]);
    given([...history, accepted])
      .when({ type: 'AcceptInvitation', accountId: ID, invitationId: INV2, now: NOW })
      .then('INVITATION.GONE');
  });

  it('sends again only while the person has not set a password', () => {
    given([issued(INV1)])
      .when({ type: 'Reinvite', accountId: ID, invitationId: INV2, expiresAt: WEEK })
      .then([issued(INV2)]);
    given([issued(INV1), accepted])
      .when({ type: 'Reinvite', accountId: ID, invitationId: INV2, expiresAt: WEEK })
      .then('ACCOUNT.ALREADY_ACTIVE');
    given([])
      .when({ type: 'Reinvite', accountId: ID, invitationId: INV2, expiresAt: WEEK })
      .then('ACCOUNT.ALREADY_ACTIVE');
  });

  it('changes a password of an active account, never of one still invited', () => {
    given([issued(INV1)])
      .when({ type: 'ChangePassword', accountId: ID })
      .then('ACCOUNT.NOT_ACTIVE');
    given([issued(INV2), accepted])
      .when({ type: 'ChangePassword', accountId: ID })
      .then([{ type: 'PasswordChanged', data: { accountId: ID } }]);
    // An account made active elsewhere (the demo's members) has no history here and may change it too.
    given([])
      .when({ type: 'ChangePassword', accountId: ID })
      .then([{ type: 'PasswordChanged', data: { accountId: ID } }]);
  });

  it('resets with the newest link, once, within the hour; an invited account gets nothing and is told nothing', () => {
    const hour = new Date(NOW.getTime() + 3_600_000);
    const requested: AccountEvent = {
      type: 'PasswordResetRequested',
      data: { accountId: ID, resetId: RESET, expiresAt: hour.toISOString() },
    };
    given([issued(INV1)])
      .when({ type: 'RequestPasswordReset', accountId: ID, resetId: RESET, expiresAt: hour })
      .then([]);
    given([]).when({ type: 'RequestPasswordReset', accountId: ID, resetId: RESET, expiresAt: hour }).then([requested]);
    given([requested])
      .when({ type: 'ConfirmPasswordReset', accountId: ID, resetId: RESET, now: NOW })
      .then([{ type: 'PasswordReset', data: { accountId: ID, resetId: RESET } }]);
    given([requested])
      .when({ type: 'ConfirmPasswordReset', accountId: ID, resetId: RESET, now: hour })
      .then('PASSWORD_RESET.GONE');
    const done: AccountEvent = { type: 'PasswordReset', data: { accountId: ID, resetId: RESET } };
    given([requested, done])
      .when({ type: 'ConfirmPasswordReset', accountId: ID, resetId: RESET, now: NOW })
      .then('PASSWORD_RESET.GONE');
    // A password change in between kills the reset link too.
    const changed: AccountEvent = { type: 'PasswordChanged', data: { accountId: ID } };
    given([requested, changed])
      .when({ type: 'ConfirmPasswordReset', accountId: ID, resetId: RESET, now: NOW })
      .then('PASSWORD_RESET.GONE');
  });
});
