import { registerDecorator, ValidationOptions } from 'class-validator';
import { EARLIEST_DATE, isCalendarDate, latestAllowedDate } from '@praxis/common';

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
