import { createParamDecorator, CustomDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import { AuthenticatedUser } from '../accounts/authenticated-user';
import { Role } from '../domain/roles';

export const PUBLIC_KEY = 'praxis:public';
export const ROLES_KEY = 'praxis:roles';
export const ORGANISATION_SCOPE_KEY = 'praxis:organisation-scope';
export const WEB_PAGE_KEY = 'praxis:web-page';
export const HIDDEN_KEY = 'praxis:hidden-from-other-roles';

/** Anyone may call this route, signed in or not. Every other route requires a signed-in user. */
export const Public = (): CustomDecorator => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the route; anyone else signed in gets 403. */
export const Roles = (...roles: [Role, ...Role[]]): CustomDecorator => SetMetadata(ROLES_KEY, roles);

/**
 * With @Roles: any other role gets 404 instead of 403, as if the route did not
 * exist (research exports: whether one exists is itself not for other roles).
 */
export const HiddenFromOtherRoles = (): CustomDecorator => SetMetadata(HIDDEN_KEY, true);

/**
 * The route's `:param` names an organisation the caller must belong to (admins
 * manage every organisation). Anyone else gets 404, exactly as for an
 * organisation that does not exist, so existence does not leak.
 */
export const OrganisationScope = (param = 'orgId'): CustomDecorator => SetMetadata(ORGANISATION_SCOPE_KEY, param);

/**
 * A server-rendered page: signed in by the session cookie (not a bearer token),
 * and every unsafe method (a form post) must carry a valid CSRF token.
 */
export const WebPage = (): CustomDecorator => SetMetadata(WEB_PAGE_KEY, true);

export type AccessRequest = Request & {
  user?: AuthenticatedUser;
  /** The web session's cookie value, when signed in through a page. */
  sessionToken?: string;
  /** The CSRF seed in force for this request (from the cookie, or just issued). */
  csrfSeed?: string;
};

/** The signed-in user; only on routes that are not @Public (the guard has put it there). */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedUser | undefined => {
  return ctx.switchToHttp().getRequest<AccessRequest>().user;
});
