import { ConflictError, NotFoundError, ValidationError } from '@praxis/common';

export const JournalErrors = {
  /** Also for another person's reflection: existence must not leak. */
  notFound: () => new NotFoundError('REFLECTION.NOT_FOUND', 'No such reflection in your journal'),
  alreadyRecorded: () => new ConflictError('REFLECTION.ALREADY_RECORDED', 'This reflection has already been recorded'),
  withdrawn: () =>
    new ConflictError('REFLECTION.WITHDRAWN', 'This reflection has been withdrawn and can no longer be changed'),
  erased: () =>
    new ConflictError(
      'PERSON.ERASED',
      'Your personal data has been erased; nothing more can be recorded for this account',
    ),
  stale: (expected: number, actual: number) =>
    new ConflictError(
      'REFLECTION.STALE',
      `This reflection has changed since you opened it (it is now at version ${actual}, not ${expected}); ` +
        'reload it and apply your change again',
      { actual },
    ),
  noOrganisation: () =>
    new ValidationError('REFLECTION.NO_ORGANISATION', 'Only members of an organisation can keep a journal'),
};
