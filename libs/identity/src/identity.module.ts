import { createSecretKey } from 'node:crypto';
import { Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '@praxis/common';
import { InlineProjectionRegistry } from '@praxis/event-store';
import { AccessGuard } from './access/access.guard';
import { AccountCache } from './accounts/account-cache';
import { AccountStore } from './accounts/account-store';
import { AuthService } from './auth/auth.service';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, TokenService } from './auth/token.service';
import { AddMemberHandler } from './commands/add-member/add-member.handler';
import { CreateOrganisationHandler } from './commands/create-organisation/create-organisation.handler';
import { CreateTeamHandler } from './commands/create-team/create-team.handler';
import { EnsureAdminHandler } from './commands/ensure-admin/ensure-admin.handler';
import { RegisterAccountHandler } from './commands/register-account/register-account.handler';
import { DemoSeeder } from './demo/demo-seeder';
import { AccountTokens } from './accounts/account-tokens';
import { AcceptInvitationHandler } from './commands/accept-invitation/accept-invitation.handler';
import { ChangePasswordHandler } from './commands/change-password/change-password.handler';
import { InviteMemberHandler } from './commands/invite-member/invite-member.handler';
import { InviteResearcherHandler } from './commands/invite-researcher/invite-researcher.handler';
import { ConfirmPasswordResetHandler } from './commands/confirm-password-reset/confirm-password-reset.handler';
import { MemberJoiner } from './commands/invite-member/member-joiner';
import { AccountRegistrar } from './commands/register-account/account-registrar';
import { RequestPasswordResetHandler } from './commands/request-password-reset/request-password-reset.handler';
import { LinkQueries } from './queries/link-queries';
import { InvitationSender } from './commands/send-invitation/invitation-sender';
import { SendInvitationHandler } from './commands/send-invitation/send-invitation.handler';
import { SignOutHandler } from './commands/sign-out/sign-out.handler';
import { Mailer } from './mail/mailer';
import { MailOutbox } from './mail/mail-outbox';
import { MailSender } from './mail/mail-sender';
import { IdentityProjection } from './projection/identity-projection';
import { PasswordHasher } from './passwords/password-hasher';
import { IdentityQueries } from './queries/identity-queries';
import { CsrfTokens } from './sessions/csrf';
import { SessionStore } from './sessions/session-store';

/** Dispatched through the CommandBus only; nothing injects them. */
const HANDLERS = [
  CreateOrganisationHandler,
  CreateTeamHandler,
  AddMemberHandler,
  RegisterAccountHandler,
  EnsureAdminHandler,
  InviteMemberHandler,
  InviteResearcherHandler,
  SendInvitationHandler,
  AcceptInvitationHandler,
  ChangePasswordHandler,
  RequestPasswordResetHandler,
  ConfirmPasswordResetHandler,
  SignOutHandler,
];

const PROVIDERS = [
  AccessGuard,
  AccountCache,
  AccountStore,
  AuthService,
  TokenService,
  PasswordHasher,
  AccountRegistrar,
  MemberJoiner,
  IdentityProjection,
  IdentityQueries,
  LinkQueries,
  SessionStore,
  DemoSeeder,
  AccountTokens,
  InvitationSender,
  Mailer,
  MailOutbox,
  MailSender,
];

/** Organisations, teams, accounts, sign-in and the access guard. Needs ConfigModule, DatabaseModule and EventStoreModule. */
@Module({
  imports: [
    CqrsModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A KeyObject made once: given a string, the JWT library tries to parse it as a public key
        // on every verify and throws inside (~11 % of the api's CPU under load, measured).
        secret: createSecretKey(Buffer.from(config.tokenSecret, 'utf8')),
        signOptions: { algorithm: 'HS256', issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE },
        verifyOptions: { algorithms: ['HS256'], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE },
      }),
    }),
  ],
  providers: [
    ...HANDLERS,
    ...PROVIDERS,
    { provide: CsrfTokens, inject: [AppConfig], useFactory: (config: AppConfig) => new CsrfTokens(config.tokenSecret) },
  ],
  exports: [CqrsModule, ...PROVIDERS, CsrfTokens],
})
export class IdentityModule implements OnModuleInit {
  constructor(
    private readonly registry: InlineProjectionRegistry,
    private readonly projection: IdentityProjection,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.projection);
  }
}
