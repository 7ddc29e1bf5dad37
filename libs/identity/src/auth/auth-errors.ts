import { DomainError } from '@praxis/common';

export const AuthErrors = {
  /** One message for an unknown email and a wrong password: which one it was must not show. */
  invalidCredentials: () =>
    new DomainError('AUTH.INVALID_CREDENTIALS', 'Email or password is incorrect', 'unauthenticated'),
  unauthenticated: () =>
    new DomainError('AUTH.UNAUTHENTICATED', 'Sign in first: a valid access token is required', 'unauthenticated'),
  forbidden: () => new DomainError('AUTH.FORBIDDEN', 'Your role does not allow this', 'forbidden'),
  /** The words of the router's own 404, so a hidden route reads like a missing one. */
  hidden: (method: string, path: string) => new DomainError('ROUTE.NOT_FOUND', `Cannot ${method} ${path}`, 'not_found'),
  csrf: () =>
    new DomainError(
      'AUTH.CSRF',
      'This form has expired or did not come from Praxis; reload the page and try again',
      'forbidden',
    ),
};
