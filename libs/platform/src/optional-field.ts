import { ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * A request field that may be left out. When it is sent, null included, every validator of the field applies.
 * class-validator's own IsOptional skips them for null as well, so `{"account": null}` passed validation although
 * no request schema of the OpenAPI document is nullable, and reached a decider that called `null.trim()` (a 500;
 * issue 11, item 4, found by the fuzzer). Use this on command DTOs instead of IsOptional.
 */
export function OptionalField(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined, options);
}
