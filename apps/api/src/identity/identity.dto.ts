import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength, MinLength } from 'class-validator';
import { MEMBER_ROLES, MemberRole, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@praxis/identity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateOrganisationDto {
  @ApiProperty({ type: String, minLength: 1, maxLength: 200, example: 'Riverside Community Trust' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name: string;
}

export class CreateTeamDto {
  @ApiProperty({ type: String, minLength: 1, maxLength: 100 })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name: string;
}

class CredentialsDto {
  @ApiProperty({ type: String, format: 'email', maxLength: 254 })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ type: String, format: 'password', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class AddMemberDto extends CredentialsDto {
  @ApiProperty({ enum: MEMBER_ROLES })
  @IsIn(MEMBER_ROLES)
  role: MemberRole;

  /** The id of a team of this organisation (create it first with POST …/teams); omit or null for none. */
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A team of this organisation (POST …/teams creates one); omit or null for none' })
  @IsOptional()
  @IsUUID('all', { message: 'team must be the id of a team of this organisation' })
  team?: string | null;
}

export class RegisterResearcherDto extends CredentialsDto {}
