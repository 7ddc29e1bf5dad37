import { registerDecorator, ValidationOptions } from 'class-validator';

export const EARLIEST_DATE = '2000-01-01';

/** A real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * The latest date that is not in the future for anyone: it is already "today"
 * at UTC+14, so a worker late in the evening anywhere is never refused.
 */
export function latestAllowedDate(now: Date): string {
  return new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10);
}

/** YYYY-MM-DD, a real date, not before 2000-01-01 and not in the future. */
export function IsReflectionDate(options?: ValidationOptions): PropertyDecorator {
  return (object, propertyName) =>
    registerDecorator({
      name: 'isReflectionDate',
      target: object.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) =>
          isCalendarDate(value) && value >= EARLIEST_DATE && value <= latestAllowedDate(new Date()),
        defaultMessage: (args) => {
          const value = args?.value;
          if (!isCalendarDate(value)) return `${args?.property} must be a date written YYYY-MM-DD`;
          if (value < EARLIEST_DATE) return `${args?.property} must not be before ${EARLIEST_DATE}`;
          return `${args?.property} must not be in the future`;
        },
      },
    });
}
