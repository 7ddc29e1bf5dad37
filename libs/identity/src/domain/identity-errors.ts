import { ConflictError, GoneError, NotFoundError, ValidationError } from '@praxis/common';

/** Codes of every identity error; the HTTP filter maps each error's kind to a status. */
export const IdentityErrors = {
  organisationNotFound: () => new NotFoundError('ORGANISATION.NOT_FOUND', 'No such organisation'),
  organisationExists: () => new ConflictError('ORGANISATION.ALREADY_EXISTS', 'This organisation already exists'),
  organisationNameTaken: (name: string) =>
    new ConflictError('ORGANISATION.NAME_TAKEN', `There is already an organisation called "${name}"`),
  teamNotInOrganisation: () =>
    new ValidationError('MEMBER.TEAM_NOT_IN_ORGANISATION', 'team must be a team of this organisation'),
  teamNameTaken: (name: string) =>
    new ConflictError('TEAM.NAME_TAKEN', `This organisation already has a team called "${name}"`),
  memberExists: () =>
    new ConflictError('MEMBER.ALREADY_JOINED', 'This account is already a member of the organisation'),
  memberNotFound: () => new NotFoundError('MEMBER.NOT_FOUND', 'No such member of this organisation'),
  emailTaken: () => new ConflictError('ACCOUNT.EMAIL_TAKEN', 'An account with this email already exists'),
  passwordTooShort: (min: number, field = 'password') =>
    new ValidationError('ACCOUNT.PASSWORD_TOO_SHORT', `${field} must be at least ${min} characters`),
  passwordTooLong: (max: number, field = 'password') =>
    new ValidationError('ACCOUNT.PASSWORD_TOO_LONG', `${field} must be at most ${max} characters`),
  accountExists: () => new ConflictError('ACCOUNT.ALREADY_EXISTS', 'This account already exists'),
  alreadyInvited: () =>
    new ConflictError('ACCOUNT.ALREADY_INVITED', 'This account was already invited; send the invitation again instead'),
  alreadyActive: () =>
    new ConflictError(
      'ACCOUNT.ALREADY_ACTIVE',
      'This person has already set their own password: there is no invitation to send',
    ),
  notYetActive: () => new ConflictError('ACCOUNT.NOT_ACTIVE', 'This account has not accepted its invitation yet'),
  accountNotFound: () => new NotFoundError('ACCOUNT.NOT_FOUND', 'No such account'),
  invitationGone: () =>
    new GoneError(
      'INVITATION.GONE',
      'This invitation link has expired, was already used, or was replaced by a newer one. ' +
        'If you have already chosen your password with it, sign in as usual; ' +
        'if not, ask your administrator to send a new invitation.',
    ),
  resetGone: () =>
    new GoneError(
      'PASSWORD_RESET.GONE',
      'This password reset link has expired or was already used. Ask for a new one on the "Forgot your password?" page.',
    ),
  currentPasswordWrong: () =>
    new ValidationError('ACCOUNT.CURRENT_PASSWORD_WRONG', 'currentPassword is not your current password'),
  emailInvalid: () => new ValidationError('ACCOUNT.EMAIL_INVALID', 'email must be an email address'),
};
