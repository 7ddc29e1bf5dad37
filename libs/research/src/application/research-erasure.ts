import { ErasureFromTheLog } from '@praxis/common';

/** What builds the research exports, as the erasure plan names it. */
export const EXPORT_BUILD = 'research-export-build';

/**
 * Every export built after the erasure leaves them out: the build's staging
 * reads `PersonalDataErased` from the log, and the key table too, so an
 * erasure counts even if its event were not in the build's cut (staging.ts).
 */
export const RESEARCH_EXPORT_ERASURE: ErasureFromTheLog = {
  name: 'their reflections in research staging and in every export built afterwards',
  runs: 'from the log',
  by: EXPORT_BUILD,
};
