import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { AuthService, AuthenticatedUser, CurrentUser, Public, publicUser, TokenService } from '@praxis/identity';
import { LoginDto } from './login.dto';

@Controller('api')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: TokenService,
  ) {}

  /** 200 with a 15-minute bearer token; 401 for an unknown email or a wrong password alike; 429 when rate-limited. */
  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('auth/login')
  @HttpCode(200)
  async login(@Body() body: LoginDto) {
    const user = await this.auth.authenticate(body.email, body.password);
    const { accessToken, expiresIn } = await this.tokens.issue(user);
    return { accessToken, tokenType: 'Bearer', expiresIn, user: publicUser(user) };
  }

  /** Any signed-in account: who the token belongs to. */
  @Get('me')
  me(@CurrentUser() user: AuthenticatedUser) {
    return { ...publicUser(user), teamId: user.teamId };
  }
}
