import { ErasureFromTheLog } from '@praxis/common';
import { ORGANISATION_PROJECTION } from './organisation-projection';

/**
 * The organisation read model drops every reflection of theirs when its async
 * projection reaches the event (and authors.ts stops counting a closed account
 * at once). Quarters already published stay: aggregates of k people or more.
 */
export const ORGANISATION_READ_MODEL_ERASURE: ErasureFromTheLog = {
  name: 'their reflections in the organisation read model (leaders’ trends)',
  runs: 'from the log',
  by: ORGANISATION_PROJECTION,
};
