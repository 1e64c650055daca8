import { applyDecorators } from '@nestjs/common';
import { IsISO8601, Matches } from 'class-validator';
import { ISO_INSTANT } from '#calendar';

/** An instant the officer states: ISO 8601 with an explicit offset (the domain has no host time zone). */
export const IsInstant = (): PropertyDecorator =>
  applyDecorators(
    IsISO8601({ strict: true, strictSeparator: true }),
    Matches(ISO_INSTANT, {
      message: '$property must be an ISO 8601 date-time with an offset (Z or +hh:mm)',
    }),
  );

/** A calendar date, `YYYY-MM-DD`. */
export const IsCalendarDate = (): PropertyDecorator =>
  applyDecorators(
    IsISO8601({ strict: true }),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a calendar date (YYYY-MM-DD)' }),
  );
