import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { argon2id, hash, verify } from 'argon2';

/**
 * Argon2id with OWASP's baseline (19 MiB, 2 passes, 1 lane): about 30-80 ms
 * on the project's 2-core machines. The parameters travel inside each hash,
 * so raising them later still verifies the old ones.
 */
export const ARGON2_OPTIONS = { type: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordHasher {
  /** A hash of nothing anyone knows: an unknown email is checked against it, so it costs what a wrong password costs. */
  private dummy?: Promise<string>;

  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false; // a malformed stored hash must not become a 500 that tells accounts apart
    }
  }

  /** Spends one verification and returns false: the unknown-email path of sign-in. */
  async verifyNothing(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(32).toString('base64url'));
    await this.verify(await this.dummy, password);
    return false;
  }
}
