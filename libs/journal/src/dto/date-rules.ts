import { registerDecorator, ValidationOptions } from 'class-validator';
import { EARLIEST_DATE, isCalendarDate, latestAllowedDate, validationTime } from '@praxis/common';

/**
 * YYYY-MM-DD, a real date, not before 2000-01-01 and not in the future — the
 * future as of the time the object is validated at (`validateAt`), which the
 * callers take from the Clock.
 */
export function IsReflectionDate(options?: ValidationOptions): PropertyDecorator {
  return (object, propertyName) =>
    registerDecorator({
      name: 'isReflectionDate',
      target: object.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown, args) =>
          isCalendarDate(value) && value >= EARLIEST_DATE && value <= latestAllowedDate(validationTime(args!)),
        defaultMessage: (args) => {
          const value = args?.value;
          if (!isCalendarDate(value)) return `${args?.property} must be a date written YYYY-MM-DD`;
          if (value < EARLIEST_DATE) return `${args?.property} must not be before ${EARLIEST_DATE}`;
          return `${args?.property} must not be in the future`;
        },
      },
    });
}
