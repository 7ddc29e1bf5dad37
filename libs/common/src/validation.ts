import { BadRequestException, ValidationError as ClassValidationError, ValidationPipe } from '@nestjs/common';

/**
 * One message per offending field, naming it (nested fields as `advocacy.argument`),
 * as PRODUCT.md asks; the first failed rule of each field is the one a person needs.
 */
const PRIORITY = [
  'whitelistValidation',
  'unknownValue',
  'isDefined',
  'isString',
  'isBoolean',
  'isInt',
  'isNumber',
  'isArray',
  'isObject',
  'nestedValidation',
  'isEmail',
  'isIn',
  'isNotEmpty',
];

export function fieldMessages(errors: ClassValidationError[], parent = ''): string[] {
  const out: string[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    const names = Object.keys(constraints);
    if (names.length) {
      // The most basic broken rule first: unknown, missing, wrong type, then the finer rules.
      const name = PRIORITY.find((n) => n in constraints) ?? names[names.length - 1];
      const message = constraints[name];
      out.push(parent && message.startsWith(error.property) ? `${parent}.${message}` : message);
    }
    if (error.children?.length) out.push(...fieldMessages(error.children, path));
  }
  return out;
}

export function praxisValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new BadRequestException(fieldMessages(errors)),
  });
}
