import { ConflictError, NotFoundError, ValidationError } from '@praxis/common';

export const ResearchErrors = {
  /** Also for another researcher's export: existence must not leak. */
  notFound: () => new NotFoundError('RESEARCH_EXPORT.NOT_FOUND', 'No such export'),
  /** Its files exist only once it is built. */
  notReady: (status: string) =>
    new ConflictError(
      'RESEARCH_EXPORT.NOT_READY',
      status === 'failed' ? 'This export failed; create it again' : 'This export is still being built',
      { status },
    ),
  /** Every field at fault, each with its message; `field` names the first (where a form puts the focus). */
  badRange: (fields: Partial<Record<'from' | 'to', string>>) =>
    new ValidationError('RESEARCH_EXPORT.BAD_RANGE', Object.values(fields).join('; '), {
      field: Object.keys(fields)[0],
      fields,
    }),
};
