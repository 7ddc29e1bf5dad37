import { ARGUMENTS, CODEBOOK, CodeInfo, LADDER, RECEPTIONS } from './codes';

const byCode = (codes: readonly CodeInfo[]) => new Map(codes.map((c) => [c.code, c]));

/** Every code list by the field that carries it (the aspired rung uses the ladder; the form's two advocacy fields, theirs). */
const LISTS = new Map<string, Map<string, CodeInfo>>([
  ...CODEBOOK.map((list) => [list.field, byCode(list.codes)] as const),
  ['aspiredRung', byCode(LADDER.codes)],
  ['advocacyArgument', byCode(ARGUMENTS.codes)],
  ['advocacyReception', byCode(RECEPTIONS.codes)],
]);

/**
 * A code as a person reads it: its label, with its ordinal where the scale has
 * one ("6. Co-design"). Pages look codes up here, never in a template (Nunjucks'
 * `selectattr` cannot filter by value). An unknown code is shown as it is.
 */
export function codeLabel(field: string, code: string | null | undefined, withOrdinal = true): string {
  if (code === null || code === undefined || code === '') return '';
  const info = LISTS.get(field)?.get(code);
  if (!info) return code;
  return withOrdinal && info.ordinal !== undefined ? `${info.ordinal}. ${info.label}` : info.label;
}

/** The fields whose codes have labels. */
export const LABELLED_FIELDS: readonly string[] = [...LISTS.keys()];

/** Each field of the reflection as the form labels it: what error messages and the history name. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  occurredOn: 'When did it happen?',
  whatHappened: 'What happened?',
  soWhat: 'What does it mean?',
  nowWhat: 'What will you do next?',
  ladderRung: 'The rung you reached',
  aspiredRung: 'The rung you wanted to reach',
  resourcePressure: 'Resource pressure',
  pressureSources: 'Where the pressure came from',
  challenges: 'What got in the way',
  principles: 'Principles in play',
  stage: 'Stage of the work',
  embedding: 'How embedded is this way of working',
  advocacy: 'The case you made for co-production',
  advocacyArgument: 'The case you made for co-production',
  advocacyReception: 'How the case was received',
  livedExperienceInvolved: 'Did people with lived experience take part?',
  tags: 'Tags',
};

/** A coded field's value (one code, a list or a yes/no) as a person reads it; the advocacy pair goes as its two parts. */
export function fieldValueLabel(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return 'not given';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value))
    return value.length
      ? value.map((v) => (LISTS.has(field) ? codeLabel(field, String(v)) : String(v))).join(', ')
      : 'none';
  return LISTS.has(field) ? codeLabel(field, String(value)) : String(value);
}
