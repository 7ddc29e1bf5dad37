import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
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
const listOf = (field: string, list: readonly string[]) => ({ each: true, message: `each of ${field} must be one of: ${codes(list)}` });
const unique = (field: string) => ({ message: `${field} must not list the same code twice` });
/** Null means "clear this optional field" (amendments); undefined means "not given". */
const optional = () => ValidateIf((_, value) => value !== undefined && value !== null);
/** May be left out, but when given must be valid: null is refused (required fields, lists). */
const given = () => ValidateIf((_, value) => value !== undefined);

export class AdvocacyDto {
  @IsOptional()
  @IsIn(ARGUMENT_CODES, { message: `argument must be one of: ${codes(ARGUMENT_CODES)}` })
  argument?: AdvocacyArgument | null;

  @IsOptional()
  @IsIn(RECEPTION_CODES, { message: `reception must be one of: ${codes(RECEPTION_CODES)}` })
  reception?: AdvocacyReception | null;
}

/**
 * The reflection as the web form and the API send it (PRODUCT.md). Every rule
 * here gives one message naming the field; unknown fields are refused.
 */
export class ReflectionDto {
  @IsDefined({ message: 'occurredOn is required' })
  @IsReflectionDate()
  occurredOn!: string;

  @IsDefined({ message: 'whatHappened is required' })
  @IsString({ message: 'whatHappened must be text' })
  @Matches(/\S/, { message: 'whatHappened must not be empty' })
  @MaxLength(MAX_TEXT, { message: `whatHappened must be at most ${MAX_TEXT} characters` })
  whatHappened!: string;

  @optional()
  @IsString({ message: 'soWhat must be text' })
  @MaxLength(MAX_TEXT, { message: `soWhat must be at most ${MAX_TEXT} characters` })
  soWhat?: string | null;

  @optional()
  @IsString({ message: 'nowWhat must be text' })
  @MaxLength(MAX_TEXT, { message: `nowWhat must be at most ${MAX_TEXT} characters` })
  nowWhat?: string | null;

  @IsDefined({ message: 'ladderRung is required' })
  @IsIn(LADDER_CODES, { message: `ladderRung must be one of: ${codes(LADDER_CODES)}` })
  ladderRung!: LadderRung;

  @optional()
  @IsIn(LADDER_CODES, { message: `aspiredRung must be one of: ${codes(LADDER_CODES)}` })
  aspiredRung?: LadderRung | null;

  @IsDefined({ message: 'resourcePressure is required' })
  @IsIn(PRESSURE_CODES, { message: `resourcePressure must be one of: ${codes(PRESSURE_CODES)}` })
  resourcePressure!: ResourcePressure;

  @given()
  @IsArray({ message: 'pressureSources must be a list' })
  @ArrayUnique(unique('pressureSources'))
  @IsIn(PRESSURE_SOURCE_CODES, listOf('pressureSources', PRESSURE_SOURCE_CODES))
  pressureSources?: PressureSource[];

  @given()
  @IsArray({ message: 'challenges must be a list' })
  @ArrayUnique(unique('challenges'))
  @IsIn(CHALLENGE_CODES, listOf('challenges', CHALLENGE_CODES))
  challenges?: Challenge[];

  @given()
  @IsArray({ message: 'principles must be a list' })
  @ArrayUnique(unique('principles'))
  @IsIn(PRINCIPLE_CODES, listOf('principles', PRINCIPLE_CODES))
  principles?: Principle[];

  @optional()
  @IsIn(STAGE_CODES, { message: `stage must be one of: ${codes(STAGE_CODES)}` })
  stage?: Stage | null;

  @optional()
  @IsIn(EMBEDDING_CODES, { message: `embedding must be one of: ${codes(EMBEDDING_CODES)}` })
  embedding?: Embedding | null;

  @optional()
  @ValidateNested()
  @Type(() => AdvocacyDto)
  advocacy?: AdvocacyDto | null;

  @optional()
  @IsBoolean({ message: 'livedExperienceInvolved must be true or false' })
  livedExperienceInvolved?: boolean | null;

  @given()
  @IsArray({ message: 'tags must be a list' })
  @ArrayMaxSize(10, { message: 'tags must have at most 10 entries' })
  @ArrayUnique(unique('tags'))
  @IsString({ each: true, message: 'each tag must be text' })
  @Matches(/\S/, { each: true, message: 'each tag must not be empty' })
  @MaxLength(40, { each: true, message: 'each tag must be at most 40 characters' })
  tags?: string[];
}

/** An amendment: any of the reflection's fields, each optional; required ones cannot be cleared. */
export class AmendReflectionDto {
  @given()
  @IsReflectionDate()
  occurredOn?: string;

  @given()
  @IsString({ message: 'whatHappened must be text' })
  @Matches(/\S/, { message: 'whatHappened must not be empty' })
  @MaxLength(MAX_TEXT, { message: `whatHappened must be at most ${MAX_TEXT} characters` })
  whatHappened?: string;

  @optional()
  @IsString({ message: 'soWhat must be text' })
  @MaxLength(MAX_TEXT, { message: `soWhat must be at most ${MAX_TEXT} characters` })
  soWhat?: string | null;

  @optional()
  @IsString({ message: 'nowWhat must be text' })
  @MaxLength(MAX_TEXT, { message: `nowWhat must be at most ${MAX_TEXT} characters` })
  nowWhat?: string | null;

  @given()
  @IsIn(LADDER_CODES, { message: `ladderRung must be one of: ${codes(LADDER_CODES)}` })
  ladderRung?: LadderRung;

  @optional()
  @IsIn(LADDER_CODES, { message: `aspiredRung must be one of: ${codes(LADDER_CODES)}` })
  aspiredRung?: LadderRung | null;

  @given()
  @IsIn(PRESSURE_CODES, { message: `resourcePressure must be one of: ${codes(PRESSURE_CODES)}` })
  resourcePressure?: ResourcePressure;

  @given()
  @IsArray({ message: 'pressureSources must be a list' })
  @ArrayUnique(unique('pressureSources'))
  @IsIn(PRESSURE_SOURCE_CODES, listOf('pressureSources', PRESSURE_SOURCE_CODES))
  pressureSources?: PressureSource[];

  @given()
  @IsArray({ message: 'challenges must be a list' })
  @ArrayUnique(unique('challenges'))
  @IsIn(CHALLENGE_CODES, listOf('challenges', CHALLENGE_CODES))
  challenges?: Challenge[];

  @given()
  @IsArray({ message: 'principles must be a list' })
  @ArrayUnique(unique('principles'))
  @IsIn(PRINCIPLE_CODES, listOf('principles', PRINCIPLE_CODES))
  principles?: Principle[];

  @optional()
  @IsIn(STAGE_CODES, { message: `stage must be one of: ${codes(STAGE_CODES)}` })
  stage?: Stage | null;

  @optional()
  @IsIn(EMBEDDING_CODES, { message: `embedding must be one of: ${codes(EMBEDDING_CODES)}` })
  embedding?: Embedding | null;

  @optional()
  @ValidateNested()
  @Type(() => AdvocacyDto)
  advocacy?: AdvocacyDto | null;

  @optional()
  @IsBoolean({ message: 'livedExperienceInvolved must be true or false' })
  livedExperienceInvolved?: boolean | null;

  @given()
  @IsArray({ message: 'tags must be a list' })
  @ArrayMaxSize(10, { message: 'tags must have at most 10 entries' })
  @ArrayUnique(unique('tags'))
  @IsString({ each: true, message: 'each tag must be text' })
  @Matches(/\S/, { each: true, message: 'each tag must not be empty' })
  @MaxLength(40, { each: true, message: 'each tag must be at most 40 characters' })
  tags?: string[];
}

export class ResearchConsentDto {
  @IsDefined({ message: 'granted is required' })
  @IsBoolean({ message: 'granted must be true or false' })
  granted!: boolean;
}

export class ListReflectionsQuery {
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsIn(Array.from({ length: 100 }, (_, i) => i + 1), { message: 'limit must be a whole number from 1 to 100' })
  limit?: number;

  @IsOptional()
  @IsString({ message: 'cursor must be the nextCursor of an earlier page' })
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor must be the nextCursor of an earlier page' })
  cursor?: string;
}

export class TrendsQuery {
  @IsOptional()
  @IsIn(['month', 'quarter'], { message: 'granularity must be month or quarter' })
  granularity?: 'month' | 'quarter';
}
