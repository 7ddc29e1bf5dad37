import {
  CODEBOOK,
  LADDER_CODES,
  PRESSURE_CODES,
  STAGE_CODES,
  EMBEDDING_CODES,
  ARGUMENT_CODES,
  RECEPTION_CODES,
} from '@praxis/journal';
import { CSV_COLUMNS, RECORD_KEYS, SET_FIELDS, SetField } from './export-record';
import { PERIOD_PATTERN } from '@praxis/common';
import { PSEUDONYM_HEX_LENGTH } from './pseudonyms';
import { ExportReport } from './report';
import { rulesFor } from './research-events';

interface Field {
  name: string;
  type: 'string' | 'integer' | 'boolean' | 'array';
  description: string;
  constraints?: Record<string, unknown>;
}

const pseudonym = (what: string, required = true): Field => ({
  name: '',
  type: 'string',
  description: `Pseudonym of the ${what}: HMAC-SHA256 under this export's own key, first ${PSEUDONYM_HEX_LENGTH} hex digits`,
  constraints: { required, pattern: `^[0-9a-f]{${PSEUDONYM_HEX_LENGTH}}$` },
});
const code = (description: string, codes: readonly string[], required = false): Field => ({
  name: '',
  type: 'string',
  description,
  constraints: { required, enum: [...codes] },
});
const ordinal = (description: string, max: number, required = false): Field => ({
  name: '',
  type: 'integer',
  description,
  constraints: { required, minimum: 1, maximum: max },
});

/** Every scalar field, by name, as both files carry it. Sets differ by file and are added below. */
const SCALARS: Record<string, Field> = {
  person: pseudonym('author'),
  organisation: pseudonym('organisation the author worked in when writing'),
  team: pseudonym('team the author worked in when writing (empty when none)', false),
  period: {
    name: '',
    type: 'string',
    description:
      'When: ISO week (YYYY-Www), or when generalised the month (YYYY-MM) or quarter (YYYY-Qn) ' +
      "that holds the week's Thursday — never a date",
    constraints: { required: true, pattern: PERIOD_PATTERN },
  },
  periodGranularity: code('The granularity of period: week, month or quarter', ['week', 'month', 'quarter'], true),
  eventType: code('The event the record comes from', ['ReflectionRecorded'], true),
  schemaVersion: {
    name: '',
    type: 'integer',
    description: 'Schema version of the recorded event',
    constraints: { required: true, minimum: 1 },
  },
  amended: {
    name: '',
    type: 'boolean',
    description: 'True when the values include the author’s later amendments',
    constraints: { required: true },
  },
  ladderRung: code('Rung of the TLAP Ladder of Co-production reached', LADDER_CODES, true),
  ladderRungOrdinal: ordinal('ladderRung as its position on the ladder, 1 (coercion) to 7 (co-production)', 7, true),
  aspiredRung: code('The rung the author wanted to reach', LADDER_CODES),
  aspiredRungOrdinal: ordinal('aspiredRung as its position on the ladder', 7),
  resourcePressure: code('Resource pressure at the time', PRESSURE_CODES, true),
  resourcePressureOrdinal: ordinal('resourcePressure as its position, 1 (resourced) to 4 (survival)', 4, true),
  stage: code('Stage of the work (the Four Co’s)', STAGE_CODES),
  embedding: code('How embedded this way of working is', EMBEDDING_CODES),
  advocacyArgument: code('The case made for co-production', ARGUMENT_CODES),
  advocacyReception: code('How the case was received', RECEPTION_CODES),
  livedExperienceInvolved: {
    name: '',
    type: 'boolean',
    description: 'People with lived experience took part (empty when not said)',
  },
};

const SET_TITLES: Record<SetField, string> = {
  pressureSources: 'Where the pressure came from',
  challenges: 'What got in the way',
  principles: 'NEF principles of co-production in play',
};

function ndjsonFields(): Field[] {
  const fields: Field[] = [];
  for (const column of RECORD_KEYS) {
    if (column in SET_FIELDS) {
      const set = column as SetField;
      fields.push({
        name: set,
        type: 'array',
        description: `${SET_TITLES[set]}: the codes chosen, in codebook order (${SET_FIELDS[set].join(', ')})`,
        constraints: { required: true },
      });
    } else fields.push({ ...SCALARS[column], name: column });
  }
  return fields;
}

function csvFields(): Field[] {
  return CSV_COLUMNS.map((column) => {
    const [set, member] = column.split('.');
    if (member !== undefined) {
      return {
        name: column,
        type: 'integer' as const,
        description: `${SET_TITLES[set as SetField]}: 1 when "${member}" was chosen, else 0`,
        constraints: { required: true, enum: [0, 1] },
      };
    }
    return { ...SCALARS[column], name: column };
  });
}

/**
 * The Frictionless Data Package describing an export: a Table Schema for each
 * file, and beside the standard properties (which allow extras) the codebook,
 * the anonymisation report and the consent scope. Pure: the same export gives
 * the same descriptor.
 */
/** An export's three files. */
export type ExportFileName = 'events.ndjson' | 'events.csv' | 'datapackage.json';

/**
 * The name a file of an export is saved under: the day and the start of the export's id, so two exports made on one
 * day do not overwrite each other's files. The data package names its resources the same way, so that the three files
 * saved side by side make a package whose paths resolve.
 */
export function exportFileName(exp: { id: string; createdAt: string }, file: ExportFileName): string {
  return `praxis-export-${exp.createdAt.slice(0, 10)}-${exp.id.slice(0, 8)}-${file}`;
}

export function dataPackage(exp: {
  id: string;
  from: string;
  to: string;
  createdAt: string;
  report: ExportReport;
}): Record<string, unknown> {
  const rules = rulesFor(exp.report.k);
  return {
    profile: 'data-package',
    name: 'praxis-research-export',
    title: `Praxis reflections, coded and anonymised, ${exp.from} to ${exp.to}`,
    description:
      'Structured reflections on co-production in public and voluntary services: ' +
      rules.contents +
      '. ' +
      rules.periods +
      '.',
    created: exp.createdAt,
    licenses: [
      { name: 'other-closed', title: 'For the approved research project only; do not attempt re-identification' },
    ],
    temporalCoverage: { from: exp.from, to: exp.to },
    resources: [
      {
        name: 'events-ndjson',
        path: exportFileName(exp, 'events.ndjson'),
        profile: 'tabular-data-resource',
        format: 'ndjson',
        mediatype: 'application/x-ndjson',
        encoding: 'utf-8',
        schema: { fields: ndjsonFields(), missingValues: [''] },
      },
      {
        name: 'events-csv',
        path: exportFileName(exp, 'events.csv'),
        profile: 'tabular-data-resource',
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        dialect: { delimiter: ',', lineTerminator: '\r\n', quoteChar: '"', doubleQuote: true, header: true },
        schema: { fields: csvFields(), missingValues: [''] },
      },
    ],
    codebook: CODEBOOK.map((list) => ({
      field: list.field,
      title: list.title,
      source: list.source,
      codes: list.codes.map((c) => ({
        code: c.code,
        label: c.label,
        description: c.hint,
        ...(c.ordinal ? { ordinal: c.ordinal } : {}),
      })),
    })),
    anonymisation: { ...exp.report, pseudonymisation: rules.pseudonymisation, periods: rules.periods },
    consentScope: rules.consentScope,
  };
}
