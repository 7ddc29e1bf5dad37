import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Equals, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength, MinLength } from 'class-validator';
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

const NO_PASSWORD =
  'password must not be sent: the person you invite chooses their own through the link in their invitation mail';

class InviteDto {
  @ApiProperty({ type: String, format: 'email', maxLength: 254 })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  // Not in the API document: a password here is always refused. Nobody chooses another person's password.
  @Equals(undefined, { message: NO_PASSWORD })
  password?: never;
}

export class AddMemberDto extends InviteDto {
  @ApiProperty({ enum: MEMBER_ROLES })
  @IsIn(MEMBER_ROLES)
  role: MemberRole;

  /** The id of a team of this organisation (create it first with POST …/teams); omit or null for none. */
  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'A team of this organisation (POST …/teams creates one); omit or null for none',
  })
  @IsOptional()
  @IsUUID('all', { message: 'team must be the id of a team of this organisation' })
  team?: string | null;
}

export class RegisterResearcherDto extends InviteDto {}

class NewPasswordRule {
  @ApiProperty({ type: String, format: 'password', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString({ message: 'password must be text' })
  @MinLength(PASSWORD_MIN_LENGTH, { message: `password must be at least ${PASSWORD_MIN_LENGTH} characters` })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `password must be at most ${PASSWORD_MAX_LENGTH} characters` })
  password: string;
}

export class AcceptInvitationDto extends NewPasswordRule {
  @ApiProperty({
    type: String,
    description: 'The token from the invitation link (the last part of /invitations/:token)',
  })
  @IsString({ message: 'token must be the token from your invitation link' })
  @MaxLength(100, { message: 'token must be the token from your invitation link' })
  token: string;
}

export class ConfirmResetDto extends NewPasswordRule {
  @ApiProperty({ type: String, description: 'The token from the reset link (the last part of /password-reset/:token)' })
  @IsString({ message: 'token must be the token from your reset link' })
  @MaxLength(100, { message: 'token must be the token from your reset link' })
  token: string;
}

export class RequestResetDto {
  @ApiProperty({ type: String, format: 'email', maxLength: 254 })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;
}

export class ChangePasswordDto {
  @ApiProperty({ type: String, format: 'password', maxLength: PASSWORD_MAX_LENGTH })
  @IsString({ message: 'currentPassword must be text' })
  @MinLength(1, { message: 'currentPassword is required' })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: 'currentPassword is not your current password' })
  currentPassword: string;

  @ApiProperty({ type: String, format: 'password', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString({ message: 'newPassword must be text' })
  @MinLength(PASSWORD_MIN_LENGTH, { message: `newPassword must be at least ${PASSWORD_MIN_LENGTH} characters` })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `newPassword must be at most ${PASSWORD_MAX_LENGTH} characters` })
  newPassword: string;
}
