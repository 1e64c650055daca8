import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiQuery, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CaseEventTypes as C, SupersededCaseEventTypes, type ForceCode } from '#contracts';
import type { EventStore } from '#event-store';
import {
  forceProblemProfile,
  NotWholeQuarters,
  parsePeriod,
  PeriodError,
  problemProfileFactsOf,
  type Period,
  type ProblemProfile,
} from '#kpis';
import { londonDate } from '#calendar';
import { Allow, BACKBONE_CONFIG, CLOCK, EVENT_STORE, problem, type BackboneConfig, type Clock } from '#platform';

const PARAMETERS = ['period', 'from', 'to'] as const;
/** The events a profile is counted from: the crime's recording (its period), cancellation and the profile itself. */
const PROFILE_EVENTS: ReadonlySet<string> = new Set([
  C.CrimeRecorded,
  SupersededCaseEventTypes.CrimeRecordedV1,
  C.RecordingCancelled,
  C.ProblemProfileRecorded,
]);

const invalid = (errors: { field: string; reason: string }[]) => problem(422, 'invalid-filter', 'The period is invalid', { errors });

/** The period asked for: `period` (a quarter, a financial year, rolling-12-months) or `from`/`to`; nothing else, once each. */
function periodOf(query: Record<string, unknown>, now: Date): Period {
  const given: Record<string, string> = {};
  const errors: { field: string; reason: string }[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (!(PARAMETERS as readonly string[]).includes(name))
      errors.push({ field: `/${name}`, reason: 'is not a parameter of the problem profile' });
    else if (typeof value !== 'string') errors.push({ field: `/${name}`, reason: 'is given more than once' });
    else given[name] = value;
  }
  if (errors.length > 0) throw invalid(errors);
  try {
    return parsePeriod(given, londonDate(now.toISOString()));
  } catch (error) {
    if (error instanceof PeriodError) throw invalid([{ field: error.field, reason: error.reason }]);
    throw error;
  }
}

/**
 * A force's problem profile (issue 13; docs/kpis.md, "Problem profile"): counts only, small ones suppressed, over
 * periods of whole quarters. Its facts are personal and special-category data, so no read model holds them: they
 * are read from the force's own log, decrypted, counted and dropped; no case is ever listed.
 */
@ApiTags('cases')
@ApiBearerAuth()
@ApiParam({ name: 'force', description: "The caller's own force code" })
@ApiUnprocessableEntityResponse({ description: 'The period is malformed or not made of whole quarters.' })
@Controller('forces/:force/problem-profile')
export class ProblemProfileController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Allow('supervisor', 'force-integration')
  @ApiQuery({ name: 'period', required: false, description: 'A quarter (2026-Q3), a financial year (FY2025-26) or rolling-12-months.' })
  @ApiQuery({ name: 'from', required: false, description: "The period's first day (a quarter's), with `to`." })
  @ApiQuery({ name: 'to', required: false, description: "The period's last day (a quarter's)." })
  @ApiOkResponse({
    description: 'Counts by relationship, domestic-abuse flag, age bands and reporting delay; suppressed below the threshold.',
  })
  async profile(@Param('force') force: ForceCode, @Query() query: Record<string, unknown>): Promise<ProblemProfile> {
    const period = periodOf(query, this.clock.now());
    const events: { type: string; data: unknown }[] = [];
    for await (const event of this.store.readAll({ force, batchSize: 1000, onUndecodable: () => Promise.resolve() })) {
      if (PROFILE_EVENTS.has(event.type)) events.push({ type: event.type, data: event.data });
    }
    try {
      return forceProblemProfile(problemProfileFactsOf(events), period, this.config.kpiSuppressionThreshold);
    } catch (error) {
      if (error instanceof NotWholeQuarters) throw invalid([{ field: '/period', reason: error.message }]);
      throw error;
    }
  }
}
