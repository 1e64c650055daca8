import { londonDate } from '#calendar';
import { parseOffenceGroup, parsePeriod, PeriodError, type MeasureOffenceGroup, type Period } from '#kpis';
import { problem } from '#platform';
import { readQuery } from './filters.js';

const PARAMETERS = ['period', 'from', 'to', 'offences'] as const;

/**
 * The period and offence group a measures request asks for (`period=2025-Q3`, `FY2024-25`, `rolling-12-months`,
 * or `from`/`to` dates; `offences=adult-rape|child-rape|other-sexual-offences|all`). Anything else, a repeated
 * parameter or a malformed value is a 422 problem naming every such field and why. `now` is the injected clock's.
 */
export function measuresQuery(query: Record<string, unknown>, now: Date): { period: Period; offences: MeasureOffenceGroup } {
  const { values: given, errors } = readQuery(
    query,
    PARAMETERS,
    `is not a parameter of the measures (parameters: ${PARAMETERS.join(', ')})`,
    (_, raw) => ({ value: raw }),
  );
  const attempt = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof PeriodError)) throw error;
      errors.push({ field: error.field, reason: error.reason });
      return undefined;
    }
  };
  const period = attempt(() => parsePeriod(given, londonDate(now.toISOString())));
  const offences = attempt(() => parseOffenceGroup(given.offences));
  if (errors.length > 0 || period === undefined || offences === undefined) {
    throw problem(422, 'invalid-filter', 'The period or offence group is invalid', { errors });
  }
  return { period, offences };
}
