import { Role } from '../domain/roles';

/** Who is making the request, as loaded from the database (never only from a token's claims). */
export interface AuthenticatedUser {
  id: string;
  email: string;
  role: Role;
  /** Set for workers and leaders; null for admins and researchers. */
  organisationId: string | null;
  teamId: string | null;
  /** Bumped by sign-out, a password change or reset, and erasure: a token carrying an older one is refused. */
  tokenVersion?: number;
}

/** The user as PRODUCT.md's login answer shows it. */
export const publicUser = (user: AuthenticatedUser) => ({
  id: user.id,
  email: user.email,
  role: user.role,
  organisationId: user.organisationId,
});
