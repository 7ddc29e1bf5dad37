import { ConflictError, NotFoundError, ValidationError } from '@praxis/common';

/** Codes of every identity error; the HTTP filter maps each error's kind to a status. */
export const IdentityErrors = {
  organisationNotFound: () => new NotFoundError('ORGANISATION.NOT_FOUND', 'No such organisation'),
  organisationExists: () => new ConflictError('ORGANISATION.ALREADY_EXISTS', 'This organisation already exists'),
  teamNotInOrganisation: () => new ValidationError('MEMBER.TEAM_NOT_IN_ORGANISATION', 'team must be a team of this organisation'),
  teamNameTaken: (name: string) => new ConflictError('TEAM.NAME_TAKEN', `This organisation already has a team called "${name}"`),
  memberExists: () => new ConflictError('MEMBER.ALREADY_JOINED', 'This account is already a member of the organisation'),
  memberNotFound: () => new NotFoundError('MEMBER.NOT_FOUND', 'No such member of this organisation'),
  emailTaken: () => new ConflictError('ACCOUNT.EMAIL_TAKEN', 'An account with this email already exists'),
  passwordTooShort: (min: number) => new ValidationError('ACCOUNT.PASSWORD_TOO_SHORT', `password must be at least ${min} characters`),
  passwordTooLong: (max: number) => new ValidationError('ACCOUNT.PASSWORD_TOO_LONG', `password must be at most ${max} characters`),
  emailInvalid: () => new ValidationError('ACCOUNT.EMAIL_INVALID', 'email must be an email address'),
};
