import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength, MinLength } from 'class-validator';
import { MEMBER_ROLES, MemberRole, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@praxis/identity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateOrganisationDto {
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name: string;
}

export class CreateTeamDto {
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name: string;
}

class CredentialsDto {
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class AddMemberDto extends CredentialsDto {
  @IsIn(MEMBER_ROLES)
  role: MemberRole;

  /** The id of a team of this organisation (create it first with POST …/teams); omit or null for none. */
  @IsOptional()
  @IsUUID('all', { message: 'team must be the id of a team of this organisation' })
  team?: string | null;
}

export class RegisterResearcherDto extends CredentialsDto {}
