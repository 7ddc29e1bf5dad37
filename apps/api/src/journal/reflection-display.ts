import { stringify } from 'csv-stringify/sync';
import {
  codeLabel,
  FIELD_LABELS,
  fieldValueLabel,
  HistoryEntry,
  PERSONAL_FIELDS,
  ReflectionView,
} from '@praxis/journal';
import { formatDay } from '../pages/view-filters';

export interface HistoryLine {
  what: 'Written' | 'Changed' | 'Withdrawn';
  version: number;
  recordedAt: string;
  /** When written: each field it had; for a change: each field it changed (named as the form labels it), new value. */
  changes: { field: string; value: string }[];
}

/**
 * A reflection's events as its author reads them: what it said when written, then what each change changed, and
 * when. A change lists only the fields whose value differs from what they read before: the form sends every field,
 * so an amendment's event can carry unchanged ones.
 */
export function describeHistory(history: HistoryEntry[]): HistoryLine[] {
  const before = new Map<string, string>();
  return history.map((h) => {
    const what = h.type === 'ReflectionRecorded' ? 'Written' : h.type === 'ReflectionAmended' ? 'Changed' : 'Withdrawn';
    if (h.type === 'ReflectionWithdrawn') return { what, version: h.version, recordedAt: h.recordedAt, changes: [] };
    const values = valuesOf(h);
    const changes = values.filter((c) => before.get(c.field) !== c.value);
    for (const c of values) before.set(c.field, c.value);
    return { what, version: h.version, recordedAt: h.recordedAt, changes };
  });
}

/** The form's order of fields, for listing what an event set. */
const FIELD_ORDER = Object.keys(FIELD_LABELS);

const isEmpty = (value: unknown) =>
  value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length);

/**
 * The fields an event of the reflection sets, in the form's order, each named as the form labels it, with its value
 * as the page shows it. When written, only the fields that were filled in; a change may clear one ("cleared").
 */
function valuesOf(h: HistoryEntry): { field: string; value: string }[] {
  const written = h.type === 'ReflectionRecorded';
  const fields = (h.data.fields ?? {}) as Record<string, unknown>;
  const text = Object.fromEntries(PERSONAL_FIELDS.filter((f) => f in h.data).map((f) => [f, h.data[f]]));
  return Object.entries({ ...fields, ...text })
    .flatMap(([field, value]) => (field === 'advocacy' ? advocacyParts(value) : [[field, value] as const]))
    .filter(([, value]) => !(written && isEmpty(value)))
    .sort(([a], [b]) => FIELD_ORDER.indexOf(a) - FIELD_ORDER.indexOf(b))
    .map(([field, value]) => ({
      field: FIELD_LABELS[field] ?? field,
      value:
        field === 'occurredOn'
          ? formatDay(String(value))
          : !(PERSONAL_FIELDS as readonly string[]).includes(field)
            ? fieldValueLabel(field, value)
            : Array.isArray(value)
              ? value.join(', ') || 'none'
              : isEmpty(value)
                ? 'cleared'
                : String(value),
    }));
}

/** The advocacy pair as the form's two questions, so a reception with no argument reads as what it is. */
function advocacyParts(value: unknown): (readonly [string, unknown])[] {
  const pair = (value ?? {}) as { argument?: string | null; reception?: string | null };
  return [
    ['advocacyArgument', pair.argument ?? null],
    ['advocacyReception', pair.reception ?? null],
  ];
}

/** A spreadsheet would run a cell that starts like a formula: such text gets a leading apostrophe. */
const cell = (text: string | null | undefined): string => {
  const s = text ?? '';
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
};

const COLUMNS = [
  'Date',
  'What happened?',
  'What does it mean?',
  'What will you do next?',
  'Rung reached',
  'Rung wanted',
  'Resource pressure',
  'Where the pressure came from',
  'What got in the way',
  'Principles in play',
  'Stage of the work',
  'How embedded',
  'The case you made',
  'How it was received',
  'People with lived experience took part',
  'Tags',
  'Written',
  'Last changed',
];

/** The worker's reflections as CSV (RFC 4180, a header row), every code as its label. */
export function reflectionsCsv(reflections: ReflectionView[]): string {
  const rows = reflections.map((r) => [
    r.occurredOn,
    cell(r.whatHappened),
    cell(r.soWhat),
    cell(r.nowWhat),
    codeLabel('ladderRung', r.ladderRung),
    codeLabel('aspiredRung', r.aspiredRung),
    codeLabel('resourcePressure', r.resourcePressure),
    r.pressureSources.map((c) => codeLabel('pressureSources', c)).join('; '),
    r.challenges.map((c) => codeLabel('challenges', c)).join('; '),
    r.principles.map((c) => codeLabel('principles', c)).join('; '),
    codeLabel('stage', r.stage),
    codeLabel('embedding', r.embedding),
    codeLabel('advocacy.argument', r.advocacy?.argument),
    codeLabel('advocacy.reception', r.advocacy?.reception),
    r.livedExperienceInvolved === null ? '' : r.livedExperienceInvolved ? 'Yes' : 'No',
    cell(r.tags.join('; ')),
    r.recordedAt,
    r.amendedAt ?? '',
  ]);
  return stringify([COLUMNS, ...rows], { record_delimiter: 'windows' });
}
