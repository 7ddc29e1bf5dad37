import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Clock } from '@praxis/common';
import { AuthenticatedUser } from '../accounts/authenticated-user';
import { AuthErrors } from './auth-errors';

/** Access tokens live 15 minutes: long enough for a session of API calls, short enough that a leaked one soon dies. */
export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const TOKEN_ISSUER = 'praxis';
export const TOKEN_AUDIENCE = 'praxis-api';

interface AccessClaims {
  sub: string;
  role: string;
  typ: 'access';
  /** The account's token version when issued: sign-out, a new password or erasure moves it on and the token dies. */
  ver: number;
}

/** HS256 JWTs under AppConfig.tokenSecret, timed by the injected Clock. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly clock: Clock,
  ) {}

  async issue(user: AuthenticatedUser): Promise<{ accessToken: string; expiresIn: number }> {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const claims: AccessClaims & { iat: number } = {
      sub: user.id,
      role: user.role,
      typ: 'access',
      ver: user.tokenVersion ?? 0,
      iat,
    };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: ACCESS_TOKEN_SECONDS });
    return { accessToken, expiresIn: ACCESS_TOKEN_SECONDS };
  }

  /** The account id and token version a valid token names; any fault (expired, tampered, wrong kind) is the same 401. */
  async verify(token: string): Promise<{ accountId: string; version: number }> {
    try {
      const claims = await this.jwt.verifyAsync<AccessClaims>(token, {
        clockTimestamp: Math.floor(this.clock.now().getTime() / 1000),
      });
      if (claims.typ !== 'access' || typeof claims.sub !== 'string' || !Number.isInteger(claims.ver))
        throw AuthErrors.unauthenticated();
      return { accountId: claims.sub, version: claims.ver };
    } catch {
      throw AuthErrors.unauthenticated();
    }
  }
}
