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
  /** For a change: each field it changed (named as the form labels it) and its new value. */
  changes: { field: string; value: string }[];
}

/** A reflection's events as its author reads them: what changed, and when. */
export function describeHistory(history: HistoryEntry[]): HistoryLine[] {
  return history.map((h) => {
    const what = h.type === 'ReflectionRecorded' ? 'Written' : h.type === 'ReflectionAmended' ? 'Changed' : 'Withdrawn';
    if (h.type !== 'ReflectionAmended') return { what, version: h.version, recordedAt: h.recordedAt, changes: [] };
    const fields = (h.data.fields ?? {}) as Record<string, unknown>;
    const changes = Object.entries(fields).map(([field, value]) => ({
      field: FIELD_LABELS[field] ?? field,
      value: field === 'occurredOn' ? formatDay(String(value)) : fieldValueLabel(field, value),
    }));
    for (const field of PERSONAL_FIELDS) {
      if (!(field in h.data)) continue;
      const value = h.data[field];
      const text = Array.isArray(value)
        ? value.join(', ') || 'none'
        : value === null || value === undefined
          ? 'cleared'
          : String(value);
      changes.push({ field: FIELD_LABELS[field], value: text });
    }
    return { what, version: h.version, recordedAt: h.recordedAt, changes };
  });
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
