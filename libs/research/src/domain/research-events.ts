/** What an export promises about its contents; recorded with it and repeated in its datapackage.json. */
export interface ExportRules {
  k: number;
  consentScope: string;
  pseudonymisation: string;
  periods: string;
  contents: string;
}

/** Stored type name; schemaVersion 1. Who asked for which range, when, under which rules. */
export type ResearchExportCreated = {
  type: 'ResearchExportCreated';
  data: {
    exportId: string;
    researcherId: string;
    from: string;
    to: string;
    createdAt: string;
    rules: ExportRules;
  };
};

export type ResearchEvent = ResearchExportCreated;

export const researchExportStream = (exportId: string): string => `research-export-${exportId}`;

export const CONSENT_SCOPE =
  'Reflections written while their author had given research consent, and only if that consent has not been withdrawn ' +
  'since (consent given again covers only what is written after it); never a reflection withdrawn by its author, ' +
  'nor anything of a person whose personal data was erased — each as of the moment the export was created.';

export const rulesFor = (k: number): ExportRules => ({
  k,
  consentScope: CONSENT_SCOPE,
  pseudonymisation:
    'person, organisation and team: HMAC-SHA256 under a random key made for this export alone (first 128 bits, hex); ' +
    'two exports cannot be joined on them',
  periods:
    'ISO week (YYYY-Www) of the date the reflection is about; a group (organisation, team, period) of fewer than k ' +
    'distinct people is generalised to the month (YYYY-MM), then quarter (YYYY-Qn), then suppressed; a week belongs to the ' +
    'month and quarter that hold its Thursday, so periods nest, and an export covers whole quarters',
  contents:
    'one record per reflection, in its current state (amendments applied); coded fields only: ' +
    'no free text, no tags, no dates, no store ids, no emails',
});
