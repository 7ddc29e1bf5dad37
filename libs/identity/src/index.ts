export * from './domain/roles';
export * from './domain/identity-events';
export * from './domain/identity-errors';
export * from './domain/credentials-policy';
export * from './domain/organisation';
export {
  type AccountCommand,
  type AccountState,
  NEW_ACCOUNT,
  INVITATION_DAYS,
  RESET_MINUTES,
  foldAccount,
  accountDecider,
  decide as decideAccount,
  evolve as evolveAccount,
} from './domain/account';
export * from './accounts/authenticated-user';
export * from './accounts/account-store';
export * from './passwords/password-hasher';
export * from './auth/auth-errors';
export * from './auth/auth.service';
export * from './auth/token.service';
export * from './sessions/session-store';
export * from './sessions/csrf';
export * from './access/access.decorators';
export * from './access/access.guard';
export * from './access/cookies';
export * from './commands/actor';
export * from './commands/streams';
export * from './commands/create-organisation/create-organisation.command';
export * from './commands/create-organisation/create-organisation.handler';
export * from './commands/create-team/create-team.command';
export * from './commands/create-team/create-team.handler';
export * from './commands/add-member/add-member.command';
export * from './commands/add-member/add-member.handler';
export * from './commands/register-account/register-account.command';
export * from './commands/register-account/register-account.handler';
export * from './commands/ensure-admin/ensure-admin.command';
export * from './commands/ensure-admin/ensure-admin.handler';
export * from './accounts/account-tokens';
export * from './commands/send-invitation/invitation-sender';
export * from './commands/send-invitation/send-invitation.command';
export * from './commands/send-invitation/send-invitation.handler';
export * from './commands/invite-member/invite-member.command';
export * from './commands/invite-member/invite-member.handler';
export * from './commands/invite-researcher/invite-researcher.command';
export * from './commands/invite-researcher/invite-researcher.handler';
export * from './commands/accept-invitation/accept-invitation.command';
export * from './commands/accept-invitation/accept-invitation.handler';
export * from './commands/change-password/change-password.command';
export * from './commands/change-password/change-password.handler';
export * from './commands/request-password-reset/request-password-reset.command';
export * from './commands/request-password-reset/request-password-reset.handler';
export * from './commands/confirm-password-reset/confirm-password-reset.command';
export * from './commands/confirm-password-reset/confirm-password-reset.handler';
export * from './commands/sign-out/sign-out.command';
export * from './commands/sign-out/sign-out.handler';
export * from './mail/mail-outbox';
export * from './mail/mail-sender';
export * from './mail/mailer';
export * from './mail/mail-templates';
export * from './projection/identity-projection';
export * from './erasure/account-erasure';
export * from './queries/identity-queries';
export * from './queries/link-queries';
export * from './demo/demo-seeder';
export * from './identity.module';
