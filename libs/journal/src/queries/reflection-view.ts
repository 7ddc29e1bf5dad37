import { isErased } from '@praxis/event-store';
import { ladderOrdinal, pressureOrdinal } from '../domain/codes';
import { CodedFields } from '../domain/reflection-events';
import { OpenedContent } from '../application/content-sealer';

/** A reflection as its author reads it: coded fields with ordinals, and the text opened. */
export interface ReflectionView extends CodedFields {
  id: string;
  version: number;
  ladderOrdinal: number;
  aspiredOrdinal: number | null;
  pressureOrdinal: number;
  whatHappened: string;
  soWhat: string | null;
  nowWhat: string | null;
  tags: string[];
  recordedAt: string;
  amendedAt?: string;
}

export interface ReflectionRow {
  reflection_id: string;
  version: number;
  occurred_on: string;
  recorded_at: Date;
  amended_at: Date | null;
  ladder_rung: CodedFields['ladderRung'];
  aspired_rung: CodedFields['aspiredRung'];
  resource_pressure: CodedFields['resourcePressure'];
  pressure_sources: CodedFields['pressureSources'];
  challenges: CodedFields['challenges'];
  principles: CodedFields['principles'];
  stage: CodedFields['stage'];
  embedding: CodedFields['embedding'];
  advocacy: CodedFields['advocacy'];
  lived_experience: boolean | null;
  author_id: string;
  content: Record<string, string | null>;
}

export const REFLECTION_COLUMNS = `reflection_id, version, to_char(occurred_on, 'YYYY-MM-DD') AS occurred_on, recorded_at, amended_at,
  ladder_rung, aspired_rung, resource_pressure, pressure_sources, challenges, principles, stage, embedding, advocacy,
  lived_experience, author_id, content`;

const text = (value: unknown): string | null =>
  isErased(value) || value === undefined ? null : (value as string | null);

export function codedView(fields: CodedFields) {
  return {
    ...fields,
    ladderOrdinal: ladderOrdinal(fields.ladderRung),
    aspiredOrdinal: fields.aspiredRung ? ladderOrdinal(fields.aspiredRung) : null,
    pressureOrdinal: pressureOrdinal(fields.resourcePressure),
  };
}

export function toView(row: ReflectionRow, opened: OpenedContent): ReflectionView {
  const fields: CodedFields = {
    occurredOn: row.occurred_on,
    ladderRung: row.ladder_rung,
    aspiredRung: row.aspired_rung,
    resourcePressure: row.resource_pressure,
    pressureSources: row.pressure_sources,
    challenges: row.challenges,
    principles: row.principles,
    stage: row.stage,
    embedding: row.embedding,
    advocacy: row.advocacy,
    livedExperienceInvolved: row.lived_experience,
  };
  return {
    id: row.reflection_id,
    version: row.version,
    ...codedView(fields),
    whatHappened: text(opened.whatHappened) ?? '',
    soWhat: text(opened.soWhat),
    nowWhat: text(opened.nowWhat),
    tags: isErased(opened.tags) ? [] : (opened.tags ?? []),
    recordedAt: row.recorded_at.toISOString(),
    ...(row.amended_at ? { amendedAt: row.amended_at.toISOString() } : {}),
  };
}
