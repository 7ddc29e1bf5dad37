import { QuarterShown } from '../domain/quarter-snapshot';

/**
 * Publication is an event: the first answer that shows a closed quarter of an
 * organisation appends `QuarterPublished` with every figure leaders will ever
 * see of it, and from then on every answer is read from it. One stream per
 * organisation and quarter, appended with `no_stream`: two first answers at
 * once cannot both publish.
 */
export interface QuarterPublished {
  type: 'QuarterPublished';
  data: {
    organisationId: string;
    quarter: string;
    k: number;
    /** When it was published (the appending answer's clock). */
    publishedAt: string;
    shown: QuarterShown;
  };
}

export const publicationStream = (organisationId: string, quarter: string): string =>
  `publication-${organisationId}-${quarter}`;
