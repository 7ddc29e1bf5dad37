import {
  CHALLENGE_CODES,
  CodedFields,
  ladderOrdinal,
  PRESSURE_SOURCE_CODES,
  pressureOrdinal,
  PRINCIPLE_CODES,
} from '@praxis/journal';
import type { Granularity } from '@praxis/common';

/** The coded part of a record: what the reflection says, with ordinals, sets in codebook order. */
export interface CodedRecord {
  eventType: 'ReflectionRecorded';
  schemaVersion: number;
  /** True when the values include later amendments (the amendment events themselves are not exported). */
  amended: boolean;
  ladderRung: string;
  ladderRungOrdinal: number;
  aspiredRung: string | null;
  aspiredRungOrdinal: number | null;
  resourcePressure: string;
  resourcePressureOrdinal: number;
  pressureSources: string[];
  challenges: string[];
  principles: string[];
  stage: string | null;
  embedding: string | null;
  advocacyArgument: string | null;
  advocacyReception: string | null;
  livedExperienceInvolved: boolean | null;
}

/** One exported record: who (pseudonyms), when (a period, never a date), and what (codes). */
export interface ExportRecord extends CodedRecord {
  person: string;
  organisation: string;
  team: string | null;
  period: string;
  periodGranularity: Granularity;
}

/** The record's keys in file order: NDJSON keys and CSV columns both follow it. */
export const RECORD_KEYS = [
  'person',
  'organisation',
  'team',
  'period',
  'periodGranularity',
  'eventType',
  'schemaVersion',
  'amended',
  'ladderRung',
  'ladderRungOrdinal',
  'aspiredRung',
  'aspiredRungOrdinal',
  'resourcePressure',
  'resourcePressureOrdinal',
  'pressureSources',
  'challenges',
  'principles',
  'stage',
  'embedding',
  'advocacyArgument',
  'advocacyReception',
  'livedExperienceInvolved',
] as const satisfies readonly (keyof ExportRecord)[];

/** The sets, each one 0/1 column per code in CSV (`challenges.time`, ...). */
export const SET_FIELDS = {
  pressureSources: PRESSURE_SOURCE_CODES,
  challenges: CHALLENGE_CODES,
  principles: PRINCIPLE_CODES,
} as const;
export type SetField = keyof typeof SET_FIELDS;
const isSetField = (key: string): key is SetField => key in SET_FIELDS;

const inCodebookOrder = (codes: readonly string[], chosen: readonly string[]): string[] =>
  codes.filter((c) => chosen.includes(c));

/** Pure: the coded part of a reflection's current state. Nothing personal goes in: only codes. */
export function codedRecord(
  fields: Omit<CodedFields, 'occurredOn'>,
  schemaVersion: number,
  amended: boolean,
): CodedRecord {
  return {
    eventType: 'ReflectionRecorded',
    schemaVersion,
    amended,
    ladderRung: fields.ladderRung,
    ladderRungOrdinal: ladderOrdinal(fields.ladderRung),
    aspiredRung: fields.aspiredRung ?? null,
    aspiredRungOrdinal: fields.aspiredRung ? ladderOrdinal(fields.aspiredRung) : null,
    resourcePressure: fields.resourcePressure,
    resourcePressureOrdinal: pressureOrdinal(fields.resourcePressure),
    pressureSources: inCodebookOrder(PRESSURE_SOURCE_CODES, fields.pressureSources ?? []),
    challenges: inCodebookOrder(CHALLENGE_CODES, fields.challenges ?? []),
    principles: inCodebookOrder(PRINCIPLE_CODES, fields.principles ?? []),
    stage: fields.stage ?? null,
    embedding: fields.embedding ?? null,
    advocacyArgument: fields.advocacy?.argument ?? null,
    advocacyReception: fields.advocacy?.reception ?? null,
    livedExperienceInvolved: fields.livedExperienceInvolved ?? null,
  };
}

/** One NDJSON line, keys in RECORD_KEYS order whatever order the stored JSON came back in. */
export function ndjsonLine(record: ExportRecord): string {
  // A replacer list fixes the key order (stored records carry every key, nulls included); set members are array items, which it keeps.
  return JSON.stringify(record, KEY_LIST) + '\n';
}
const KEY_LIST: string[] = [...RECORD_KEYS];

/** CSV column names: scalars as they are, sets expanded to `field.code`. */
export const CSV_COLUMNS: readonly string[] = RECORD_KEYS.flatMap((key) =>
  isSetField(key) ? SET_FIELDS[key].map((code) => `${key}.${code}`) : [key],
);

/** One CSV row in CSV_COLUMNS order: null is an empty cell, booleans true/false, set members 1/0. */
export function csvRow(record: ExportRecord): (string | number)[] {
  const row: (string | number)[] = [];
  for (const key of RECORD_KEYS) {
    const value = record[key];
    if (isSetField(key)) {
      const chosen = value as string[];
      for (const code of SET_FIELDS[key]) row.push(chosen.includes(code) ? 1 : 0);
    } else if (value === null || value === undefined) row.push('');
    else if (typeof value === 'boolean') row.push(value ? 'true' : 'false');
    else row.push(value as string | number);
  }
  return row;
}

const NUMBER_KEYS = new Set<string>([
  'schemaVersion',
  'ladderRungOrdinal',
  'aspiredRungOrdinal',
  'resourcePressureOrdinal',
]);
const BOOLEAN_KEYS = new Set<string>(['amended', 'livedExperienceInvolved']);

/** The inverse of csvRow, for readers and tests: a parsed CSV row (by column name) back to a record's keys and values. */
export function recordFromCsv(row: Record<string, string>): Record<(typeof RECORD_KEYS)[number], unknown> {
  const record: Record<string, unknown> = {};
  for (const key of RECORD_KEYS) {
    if (isSetField(key)) {
      record[key] = SET_FIELDS[key].filter((code) => row[`${key}.${code}`] === '1');
      continue;
    }
    const cell = row[key];
    if (cell === '' || cell === undefined) record[key] = null;
    else if (NUMBER_KEYS.has(key)) record[key] = Number(cell);
    else if (BOOLEAN_KEYS.has(key)) record[key] = cell === 'true';
    else record[key] = cell;
  }
  return record;
}
