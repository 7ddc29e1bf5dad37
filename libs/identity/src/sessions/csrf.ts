import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens for every web form: a signed double-submit token. The browser
 * holds a random seed in an HttpOnly cookie; each form carries
 * HMAC(key, seed | session), which only the server can compute. A cross-site
 * form can neither read the cookie nor compute the token, and binding it to the
 * session means a token from before sign-in (or from another session) is
 * refused after it. SameSite=Lax cookies are a second wall, not the only one.
 */
export class CsrfTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    // A key of its own, derived from the token secret, so no CSRF token is ever a valid JWT signature or vice versa.
    this.key = createHmac('sha256', secret).update('praxis csrf v1').digest();
  }

  static newSeed(): string {
    return randomBytes(32).toString('base64url');
  }

  tokenFor(seed: string, sessionToken: string | undefined): string {
    return createHmac('sha256', this.key)
      .update(`${seed.length}:${seed}|${sessionToken ?? ''}`)
      .digest('base64url');
  }

  verify(seed: string | undefined, sessionToken: string | undefined, token: unknown): boolean {
    if (!seed || typeof token !== 'string' || token.length === 0 || token.length > 100) return false;
    const expected = Buffer.from(this.tokenFor(seed, sessionToken));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
