import { Body, Controller, Get, HttpCode, Post, Put, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { InjectThrottlerStorage, SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import {
  AcceptInvitationCommand,
  AuthenticatedUser,
  AuthService,
  ChangePasswordCommand,
  ConfirmPasswordResetCommand,
  CurrentUser,
  TokenService,
  RequestPasswordResetCommand,
  SignOutCommand,
  Public,
  publicUser,
} from '@praxis/identity';
import { AcceptInvitationDto, ChangePasswordDto, ConfirmResetDto, RequestResetDto } from '../identity/identity.dto';
import { ACCOUNT_LINKS_ONLY, SIGN_IN_ONLY } from './login-throttle';
import type { SignInCounts } from './sign-in-counts';
import { LoginDto } from './login.dto';

@Controller('api')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: TokenService,
    private readonly commands: CommandBus,
    @InjectThrottlerStorage() private readonly counts: SignInCounts,
  ) {}

  /** 200 with a 15-minute bearer token; 401 for an unknown email or a wrong password alike; 429 when rate-limited. */
  @Public()
  @UseGuards(ThrottlerGuard)
  @SkipThrottle(SIGN_IN_ONLY)
  @Post('auth/login')
  @HttpCode(200)
  async login(@Body() body: LoginDto) {
    const user = await this.auth.authenticate(body.email, body.password);
    await this.counts.forgetAccount(body.email);
    return this.signedIn(user);
  }

  /**
   * The invited person sets their own password: 200 signed in; 410 for a used,
   * replaced, expired or unknown link; 400 naming the password rule.
   */
  @Public()
  @UseGuards(ThrottlerGuard)
  @SkipThrottle(ACCOUNT_LINKS_ONLY)
  @Post('auth/invitations/accept')
  @HttpCode(200)
  async accept(@Body() body: AcceptInvitationDto) {
    const user = await this.commands.execute(new AcceptInvitationCommand(body.token, body.password));
    return this.signedIn(user);
  }

  /** Always 202, the same answer at once whether or not the address has an account; a link follows by mail if it does. */
  @Public()
  @UseGuards(ThrottlerGuard)
  @SkipThrottle(ACCOUNT_LINKS_ONLY)
  @Post('auth/password-reset')
  @HttpCode(202)
  async requestReset(@Body() body: RequestResetDto) {
    await this.commands.execute(new RequestPasswordResetCommand(body.email));
    return {
      message:
        'If an account has this address, a link to choose a new password is on its way. It works once, for one hour.',
    };
  }

  /** 204: the new password is set and every session and token issued before is revoked; 410 for a used, expired or unknown link. */
  @Public()
  @UseGuards(ThrottlerGuard)
  @SkipThrottle(ACCOUNT_LINKS_ONLY)
  @Post('auth/password-reset/confirm')
  @HttpCode(204)
  async confirmReset(@Body() body: ConfirmResetDto): Promise<void> {
    const { email } = await this.commands.execute(new ConfirmPasswordResetCommand(body.token, body.password));
    await this.counts.forgetAccount(email);
  }

  /** 204: every session and every bearer token of this account stops working, this one included. */
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.commands.execute(new SignOutCommand(user.id));
  }

  /** Any signed-in account: who the token belongs to. */
  @Get('me')
  me(@CurrentUser() user: AuthenticatedUser) {
    return { ...publicUser(user), teamId: user.teamId };
  }

  /** 204; 400 when currentPassword is wrong or newPassword breaks the rule. Every session and token issued before is revoked. */
  @UseGuards(ThrottlerGuard)
  @SkipThrottle(ACCOUNT_LINKS_ONLY)
  @Put('me/password')
  @HttpCode(204)
  async setPassword(@Body() body: ChangePasswordDto, @CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.commands.execute(new ChangePasswordCommand(user.id, body.currentPassword, body.newPassword));
  }

  private async signedIn(user: AuthenticatedUser) {
    const { accessToken, expiresIn } = await this.tokens.issue(user);
    return { accessToken, tokenType: 'Bearer', expiresIn, user: publicUser(user) };
  }
}
