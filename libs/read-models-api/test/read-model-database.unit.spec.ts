import { PlatformEventTypes, forceOnboardingStream, NATIONAL, type ForceCode, type ForceOnboardedData } from '#contracts';
import type { EventStore } from '#event-store';
import { loadConfig, type Clock } from '#platform';
import { DEFAULT_PLACEMENT_TTL_MS, ReadModelDatabase } from '../src/read-model-database.js';

/** A log holding at most one onboarding record per force, with a count of the reads of onboarding streams. */
function logWith(onboardings: Map<string, ForceOnboardedData>): { store: EventStore; reads: () => number } {
  let reads = 0;
  const store = {
    readStream(streamId: string) {
      reads += 1;
      const events = [...onboardings]
        .filter(([force]) => forceOnboardingStream(force as ForceCode) === streamId)
        .map(([, data]) => ({ type: PlatformEventTypes.ForceOnboarded, data, metadata: { force: NATIONAL } }));
      return (function* () {
        yield* events;
      })();
    },
  } as unknown as EventStore;
  return { store, reads: () => reads };
}

describe("ReadModelDatabase: a force's views are read where its onboarding placed them (ADR 0027)", () => {
  const config = loadConfig({ DATABASE_URL: 'postgres://nom@127.0.0.1:5432/nom', NOM_PROJECTION_ISOLATION: 'schema' });
  let at = Date.parse('2026-01-01T00:00:00Z');
  const clock: Clock = { now: () => new Date(at) };
  let db: ReadModelDatabase | undefined;
  afterEach(async () => db?.onApplicationShutdown());

  it("follows a recorded onboarding into the force's own database, and keeps it for good", async () => {
    const onboardings = new Map([
      ['essex', { force: 'essex', isolation: 'database', schema: 'force_essex', database: 'force_essex' } as unknown as ForceOnboardedData],
    ]);
    const log = logWith(onboardings);
    db = new ReadModelDatabase(config, log.store, clock);
    expect(await db.placement('essex')).toEqual({ isolation: 'database', schema: 'force_essex', database: 'force_essex' });
    at += DEFAULT_PLACEMENT_TTL_MS * 10;
    expect((await db.forceReader('essex')).view('investigations')).toBe('force_essex."investigations"');
    expect(log.reads()).toBe(1);
  });

  it('gives a force with no onboarding the configured default, and asks the log again once the default has aged', async () => {
    const onboardings = new Map<string, ForceOnboardedData>();
    const log = logWith(onboardings);
    db = new ReadModelDatabase(config, log.store, clock);
    expect(await db.placement('kent')).toEqual({ isolation: 'schema', schema: 'force_kent', database: null });
    at += DEFAULT_PLACEMENT_TTL_MS - 1;
    await db.placement('kent');
    expect(log.reads()).toBe(1);
    // Onboarded meanwhile into a database of its own: followed once the default placement is due a recheck.
    onboardings.set('kent', {
      force: 'kent',
      isolation: 'database',
      schema: 'force_kent',
      database: 'force_kent',
    } as unknown as ForceOnboardedData);
    at += 1;
    expect(await db.placement('kent')).toEqual({ isolation: 'database', schema: 'force_kent', database: 'force_kent' });
    expect(log.reads()).toBe(2);
  });

  it('reads the national views in the main database', () => {
    db = new ReadModelDatabase(config, logWith(new Map()).store, clock);
    expect(db.nationalReader().view('kpi_facts')).toBe(`${config.projectionSchemaPrefix}national."kpi_facts"`);
  });
});
