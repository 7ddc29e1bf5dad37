import { NotFoundError, ValidationError } from '@praxis/common';

export const ResearchErrors = {
  /** Also for another researcher's export: existence must not leak. */
  notFound: () => new NotFoundError('RESEARCH_EXPORT.NOT_FOUND', 'No such export'),
  badRange: (field: 'from' | 'to', message: string) =>
    new ValidationError('RESEARCH_EXPORT.BAD_RANGE', `${field} ${message}`, { field }),
};
