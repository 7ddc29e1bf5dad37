import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ type: String, format: 'email', maxLength: 254 })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ type: String, format: 'password', minLength: 1, maxLength: 256 })
  // No minimum beyond "something": the 12-character rule is for new passwords, and a 400 here would say less than the 401.
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;
}
