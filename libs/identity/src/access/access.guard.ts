import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { AccountCache } from '../accounts/account-cache';
import { AuthService } from '../auth/auth.service';
import { AuthErrors } from '../auth/auth-errors';
import { TokenService } from '../auth/token.service';
import { IdentityErrors } from '../domain/identity-errors';
import { Role } from '../domain/roles';
import { CsrfTokens } from '../sessions/csrf';
import { SessionStore } from '../sessions/session-store';
import {
  AccessRequest,
  HIDDEN_KEY,
  ORGANISATION_SCOPE_KEY,
  PUBLIC_KEY,
  ROLES_KEY,
  WEB_PAGE_KEY,
} from './access.decorators';
import { CSRF_COOKIE, readCookie, SESSION_COOKIE, setCookie } from './cookies';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one gate every route passes, registered globally so that a route
 * without decorators is closed, not open. In order:
 *   1. web pages: a CSRF seed cookie, and a valid CSRF token on every form post;
 *   2. @Public routes go through;
 *   3. who: a bearer token (API) or the session cookie (pages) → 401 without;
 *   4. @Roles → 403 for any other role (404 with @HiddenFromOtherRoles);
 *   5. @OrganisationScope → 404 unless the organisation is the caller's own.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly tokens: TokenService,
    private readonly sessions: SessionStore,
    private readonly csrf: CsrfTokens,
    private readonly accounts: AccountCache,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<AccessRequest>();
    const webPage = this.reflector.getAllAndOverride<boolean>(WEB_PAGE_KEY, targets) ?? false;
    if (webPage) {
      req.sessionToken = readCookie(req, SESSION_COOKIE);
      this.checkCsrf(req, context.switchToHttp().getResponse<Response>());
    }
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      if (webPage) req.user = await this.sessions.find(req.sessionToken);
      return true;
    }
    const user = webPage ? await this.sessions.find(req.sessionToken) : await this.fromBearer(req);
    if (!user) throw AuthErrors.unauthenticated();
    req.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) {
      throw this.reflector.getAllAndOverride<boolean>(HIDDEN_KEY, targets)
        ? AuthErrors.hidden(req.method, req.path)
        : AuthErrors.forbidden();
    }
    const scope = this.reflector.getAllAndOverride<string | undefined>(ORGANISATION_SCOPE_KEY, targets);
    if (scope !== undefined && user.role !== 'admin' && req.params[scope] !== user.organisationId) {
      throw IdentityErrors.organisationNotFound();
    }
    return true;
  }

  private async fromBearer(req: AccessRequest) {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header.trim()) : null;
    if (!match) return undefined;
    const { accountId, version } = await this.tokens.verify(match[1]);
    const user = await this.accounts.get(accountId, () => this.auth.userById(accountId));
    // Issued before the last sign-out, password change or reset: revoked.
    return user && user.tokenVersion === version ? user : undefined;
  }

  private checkCsrf(req: AccessRequest, res: Response): void {
    const seed = readCookie(req, CSRF_COOKIE);
    if (SAFE_METHODS.has(req.method)) {
      req.csrfSeed = seed ?? CsrfTokens.newSeed();
      if (!seed) setCookie(req, res, CSRF_COOKIE, req.csrfSeed);
      return;
    }
    const token = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (!this.csrf.verify(seed, req.sessionToken, token)) throw AuthErrors.csrf();
    req.csrfSeed = seed;
  }
}
