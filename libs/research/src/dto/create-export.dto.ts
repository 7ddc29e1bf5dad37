import { IsDefined, IsString } from 'class-validator';

/** `{from, to}`: dates YYYY-MM-DD; the range rules (order, ten years) are checked by checkRange. */
export class CreateExportDto {
  @IsDefined()
  @IsString()
  from!: string;

  @IsDefined()
  @IsString()
  to!: string;
}
