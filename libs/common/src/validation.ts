import { BadRequestException, ValidationError as ClassValidationError, ValidationPipe } from '@nestjs/common';
import { validate, ValidationArguments, ValidatorOptions } from 'class-validator';
import { Clock } from './clock';

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

/** The instant each object is being validated at, while it is (keyed by the object: nothing global to set). */
const validationTimes = new WeakMap<object, Date>();

/**
 * class-validator, told the time: a rule that depends on "now" (a date not in
 * the future) reads it with `validationTime`, never from the wall clock, so the
 * `Clock` decides in production, in tests and in replays alike.
 */
export async function validateAt(
  now: Date,
  object: object,
  options?: ValidatorOptions,
): Promise<ClassValidationError[]> {
  validationTimes.set(object, now);
  try {
    return await validate(object, options);
  } finally {
    validationTimes.delete(object);
  }
}

/** The time `validateAt` was given, for a rule on a top-level property; throws when validated without one. */
export function validationTime(args: ValidationArguments): Date {
  const now = validationTimes.get(args.object);
  if (!now) throw new Error(`${args.property} depends on the time: validate it with validateAt(clock.now(), …)`);
  return now;
}

/** Nest's ValidationPipe, validating at the Clock's time. */
class ClockedValidationPipe extends ValidationPipe {
  constructor(
    private readonly clock: Clock,
    options: ConstructorParameters<typeof ValidationPipe>[0],
  ) {
    super(options);
  }

  protected override validate(object: object, options?: ValidatorOptions): Promise<ClassValidationError[]> {
    return validateAt(this.clock.now(), object, options);
  }
}

export function praxisValidationPipe(clock: Clock): ValidationPipe {
  return new ClockedValidationPipe(clock, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new BadRequestException(fieldMessages(errors)),
  });
}
