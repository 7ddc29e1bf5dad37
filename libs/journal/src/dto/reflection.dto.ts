import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { EARLIEST_DATE } from '@praxis/common';
import {
  ARGUMENT_CODES,
  AdvocacyArgument,
  AdvocacyReception,
  CHALLENGE_CODES,
  Challenge,
  EMBEDDING_CODES,
  Embedding,
  LADDER_CODES,
  LadderRung,
  PRESSURE_CODES,
  PRESSURE_SOURCE_CODES,
  PRINCIPLE_CODES,
  PressureSource,
  Principle,
  RECEPTION_CODES,
  ResourcePressure,
  STAGE_CODES,
  Stage,
} from '../domain/codes';
import { IsReflectionDate } from './date-rules';

export const MAX_TEXT = 10_000;
const codes = (list: readonly string[]) => list.join(', ');
const listOf = (field: string, list: readonly string[]) => ({
  each: true,
  message: `each of ${field} must be one of: ${codes(list)}`,
});
const unique = (field: string) => ({ message: `${field} must not list the same code twice` });
/** Null means "clear this optional field" (amendments); undefined means "not given". */
const optional = () => ValidateIf((_, value) => value !== undefined && value !== null);
/** May be left out, but when given must be valid: null is refused (required fields, lists). */
const given = () => ValidateIf((_, value) => value !== undefined);

/** OpenAPI descriptions (GET /api/docs) of the fields both the reflection and its amendment carry. */
const api: Record<keyof ReflectionDto, ApiPropertyOptions> = {
  occurredOn: {
    type: String,
    format: 'date',
    example: '2025-06-02',
    description: `The day it happened, YYYY-MM-DD; not in the future, not before ${EARLIEST_DATE}`,
  },
  whatHappened: {
    type: String,
    maxLength: MAX_TEXT,
    description: 'What? What happened, your role, who was involved (by role, never by name)',
  },
  soWhat: {
    type: String,
    nullable: true,
    maxLength: MAX_TEXT,
    description: 'So what? What it means; what explains it',
  },
  nowWhat: {
    type: String,
    nullable: true,
    maxLength: MAX_TEXT,
    description: 'Now what? What you will do next, and its likely consequences',
  },
  ladderRung: {
    enum: LADDER_CODES,
    description: 'TLAP Ladder of Co-production, 1–7: 1–2 "doing to", 3–5 "doing for", 6–7 "doing with"',
  },
  aspiredRung: { enum: LADDER_CODES, nullable: true, description: 'The rung you wanted to reach' },
  resourcePressure: {
    enum: PRESSURE_CODES,
    description: 'Resource pressure, 1–4 (survival: "keeping the doors open and the lights on")',
  },
  pressureSources: {
    enum: PRESSURE_SOURCE_CODES,
    isArray: true,
    uniqueItems: true,
    description: 'Where the pressure came from',
  },
  challenges: { enum: CHALLENGE_CODES, isArray: true, uniqueItems: true, description: 'What got in the way' },
  principles: {
    enum: PRINCIPLE_CODES,
    isArray: true,
    uniqueItems: true,
    description: 'NEF principles of co-production that were present',
  },
  stage: { enum: STAGE_CODES, nullable: true, description: "The Four Co's: where in the cycle this was" },
  embedding: { enum: EMBEDDING_CODES, nullable: true, description: 'How embedded the practice is' },
  advocacy: {
    type: () => AdvocacyDto,
    nullable: true,
    description: 'How you argued for co-production, and how it was received',
  },
  livedExperienceInvolved: { type: Boolean, nullable: true, description: 'People with lived experience took part' },
  tags: { type: [String], maxItems: 10, uniqueItems: true, description: 'Free tags, each 1–40 characters' },
};

export class AdvocacyDto {
  @ApiPropertyOptional({ enum: ARGUMENT_CODES, nullable: true, description: 'The argument you made for co-production' })
  @IsOptional()
  @IsIn(ARGUMENT_CODES, { message: `argument must be one of: ${codes(ARGUMENT_CODES)}` })
  argument?: AdvocacyArgument | null;

  @ApiPropertyOptional({ enum: RECEPTION_CODES, nullable: true, description: 'How it was received' })
  @IsOptional()
  @IsIn(RECEPTION_CODES, { message: `reception must be one of: ${codes(RECEPTION_CODES)}` })
  reception?: AdvocacyReception | null;
}

/** Each field's rules, written once and shared by the new-reflection and the amendment DTOs. */
const RULES: Record<string, PropertyDecorator[]> = {
  occurredOn: [IsReflectionDate()],
  whatHappened: [
    IsString({ message: 'whatHappened must be text' }),
    Matches(/\S/, { message: 'whatHappened must not be empty' }),
    MaxLength(MAX_TEXT, { message: `whatHappened must be at most ${MAX_TEXT} characters` }),
  ],
  soWhat: [
    IsString({ message: 'soWhat must be text' }),
    MaxLength(MAX_TEXT, { message: `soWhat must be at most ${MAX_TEXT} characters` }),
  ],
  nowWhat: [
    IsString({ message: 'nowWhat must be text' }),
    MaxLength(MAX_TEXT, { message: `nowWhat must be at most ${MAX_TEXT} characters` }),
  ],
  ladderRung: [IsIn(LADDER_CODES, { message: `ladderRung must be one of: ${codes(LADDER_CODES)}` })],
  aspiredRung: [IsIn(LADDER_CODES, { message: `aspiredRung must be one of: ${codes(LADDER_CODES)}` })],
  resourcePressure: [IsIn(PRESSURE_CODES, { message: `resourcePressure must be one of: ${codes(PRESSURE_CODES)}` })],
  pressureSources: setOf('pressureSources', PRESSURE_SOURCE_CODES),
  challenges: setOf('challenges', CHALLENGE_CODES),
  principles: setOf('principles', PRINCIPLE_CODES),
  stage: [IsIn(STAGE_CODES, { message: `stage must be one of: ${codes(STAGE_CODES)}` })],
  embedding: [IsIn(EMBEDDING_CODES, { message: `embedding must be one of: ${codes(EMBEDDING_CODES)}` })],
  // IsObject first: class-transformer leaves a string or a list as it is, and ValidateNested alone lets it through.
  advocacy: [
    IsObject({ message: 'advocacy must be an object with argument and reception' }),
    ValidateNested(),
    Type(() => AdvocacyDto),
  ],
  livedExperienceInvolved: [IsBoolean({ message: 'livedExperienceInvolved must be true or false' })],
  tags: [
    IsArray({ message: 'tags must be a list' }),
    ArrayMaxSize(10, { message: 'tags must have at most 10 entries' }),
    ArrayUnique({ message: 'tags must not list the same tag twice' }),
    IsString({ each: true, message: 'each tag must be text' }),
    Matches(/\S/, { each: true, message: 'each tag must not be empty' }),
    MaxLength(40, { each: true, message: 'each tag must be at most 40 characters' }),
  ],
};

function setOf(field: string, list: readonly string[]): PropertyDecorator[] {
  return [IsArray({ message: `${field} must be a list` }), ArrayUnique(unique(field)), IsIn(list, listOf(field, list))];
}

/** Applies a field's rules (see RULES). */
const rules =
  (field: keyof typeof RULES): PropertyDecorator =>
  (target, key) =>
    RULES[field].forEach((rule) => rule(target, key));
const required = (field: string) => IsDefined({ message: `${field} is required` });
/** The OpenAPI description of a field (see `api` above); required only where the new-reflection form requires it. */
const doc = (field: keyof typeof api, isRequired = false): PropertyDecorator =>
  isRequired ? ApiProperty(api[field]) : ApiPropertyOptional(api[field]);

/**
 * The reflection as the web form and the API send it (PRODUCT.md). Every rule
 * gives one message naming the field; unknown fields are refused.
 */
export class ReflectionDto {
  @doc('occurredOn', true) @required('occurredOn') @rules('occurredOn') occurredOn!: string;
  @doc('whatHappened', true) @required('whatHappened') @rules('whatHappened') whatHappened!: string;
  @doc('soWhat') @optional() @rules('soWhat') soWhat?: string | null;
  @doc('nowWhat') @optional() @rules('nowWhat') nowWhat?: string | null;
  @doc('ladderRung', true) @required('ladderRung') @rules('ladderRung') ladderRung!: LadderRung;
  @doc('aspiredRung') @optional() @rules('aspiredRung') aspiredRung?: LadderRung | null;
  @doc('resourcePressure', true)
  @required('resourcePressure')
  @rules('resourcePressure')
  resourcePressure!: ResourcePressure;
  @doc('pressureSources') @given() @rules('pressureSources') pressureSources?: PressureSource[];
  @doc('challenges') @given() @rules('challenges') challenges?: Challenge[];
  @doc('principles') @given() @rules('principles') principles?: Principle[];
  @doc('stage') @optional() @rules('stage') stage?: Stage | null;
  @doc('embedding') @optional() @rules('embedding') embedding?: Embedding | null;
  @doc('advocacy') @optional() @rules('advocacy') advocacy?: AdvocacyDto | null;
  @doc('livedExperienceInvolved') @optional() @rules('livedExperienceInvolved') livedExperienceInvolved?:
    boolean | null;
  @doc('tags') @given() @rules('tags') tags?: string[];
}

/**
 * An amendment: any of the reflection's fields, each optional. Fields a
 * reflection must have can be changed but not cleared (null is refused).
 */
export class AmendReflectionDto {
  @doc('occurredOn') @given() @rules('occurredOn') occurredOn?: string;
  @doc('whatHappened') @given() @rules('whatHappened') whatHappened?: string;
  @doc('soWhat') @optional() @rules('soWhat') soWhat?: string | null;
  @doc('nowWhat') @optional() @rules('nowWhat') nowWhat?: string | null;
  @doc('ladderRung') @given() @rules('ladderRung') ladderRung?: LadderRung;
  @doc('aspiredRung') @optional() @rules('aspiredRung') aspiredRung?: LadderRung | null;
  @doc('resourcePressure') @given() @rules('resourcePressure') resourcePressure?: ResourcePressure;
  @doc('pressureSources') @given() @rules('pressureSources') pressureSources?: PressureSource[];
  @doc('challenges') @given() @rules('challenges') challenges?: Challenge[];
  @doc('principles') @given() @rules('principles') principles?: Principle[];
  @doc('stage') @optional() @rules('stage') stage?: Stage | null;
  @doc('embedding') @optional() @rules('embedding') embedding?: Embedding | null;
  @doc('advocacy') @optional() @rules('advocacy') advocacy?: AdvocacyDto | null;
  @doc('livedExperienceInvolved') @optional() @rules('livedExperienceInvolved') livedExperienceInvolved?:
    boolean | null;
  @doc('tags') @given() @rules('tags') tags?: string[];
}

export class ResearchConsentDto {
  @ApiProperty({ type: Boolean, description: 'true to let future reflections go into research exports; false to stop' })
  @IsDefined({ message: 'granted is required' })
  @IsBoolean({ message: 'granted must be true or false' })
  granted!: boolean;
}

export class ListReflectionsQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20, description: 'Page size' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsIn(Array.from({ length: 100 }, (_, i) => i + 1), { message: 'limit must be a whole number from 1 to 100' })
  limit?: number;

  @ApiPropertyOptional({ type: String, description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString({ message: 'cursor must be the nextCursor of an earlier page' })
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor must be the nextCursor of an earlier page' })
  cursor?: string;
}

export class TrendsQuery {
  @ApiPropertyOptional({ enum: ['month', 'quarter'], default: 'month' })
  @IsOptional()
  @IsIn(['month', 'quarter'], { message: 'granularity must be month or quarter' })
  granularity?: 'month' | 'quarter';
}
