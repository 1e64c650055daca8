import { VictimEventTypes as V, type RecordedEvent } from '#contracts';
import { testMetadata } from '#testing';
import { buildTables } from '../../builds.js';
import { columnNames, createTableSql } from '../table-spec.js';
import { evolveVictimEngagement } from './victim-engagement.fold.js';
import { VICTIM_ENGAGEMENT, VICTIM_ENGAGEMENT_VIEW } from './victim-engagement.table.js';

const victimId = '5a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
let revision = 0n;
function recorded(type: string, data: object, occurredAt: string): RecordedEvent {
  const metadata = { ...testMetadata('avon-somerset'), occurredAt };
  const event = {
    id: `${victimId.slice(0, -2)}${String(revision).padStart(2, '0')}`,
    streamId: `victim-${victimId}`,
    revision,
    position: revision + 1n,
    type,
    data: { victimId, caseId, ...data },
    metadata,
    recordedAt: occurredAt,
  };
  revision += 1n;
  return event;
}

describe('victim engagement read model', () => {
  beforeEach(() => {
    revision = 0n;
  });

  it('keeps the first contact and the latest contact of a victim', () => {
    const first = recorded(V.FirstContactMade, { madeAt: '2026-11-03T10:15:00Z' }, '2026-11-03T10:16:00Z');
    const again = recorded(V.FirstContactMade, { madeAt: '2026-11-05T09:00:00Z' }, '2026-11-05T09:01:00Z');
    const row = [first, again].reduce(evolveVictimEngagement, null);
    expect(row).toMatchObject({
      victimId,
      caseId,
      firstContactAt: '2026-11-03T10:15:00Z',
      lastContactAt: '2026-11-05T09:00:00Z',
      lastEventAt: '2026-11-05T09:01:00Z',
    });
  });

  it('derives its table and its view from one column declaration', () => {
    const ddl = createTableSql(buildTables('force_test', 1), VICTIM_ENGAGEMENT)[0]!;
    for (const column of columnNames(VICTIM_ENGAGEMENT)) expect(ddl).toMatch(new RegExp(`[(,] ?${column} [a-z]+`));
    expect(ddl).toContain('first_contact_at timestamptz');
    const properties = VICTIM_ENGAGEMENT_VIEW.properties!;
    expect(Object.keys(properties)).toEqual([...Object.keys(VICTIM_ENGAGEMENT.declared), 'openDuties', 'missedDeadlines']);
    expect(properties['firstContactAt']).toEqual({ type: 'string', format: 'date-time', nullable: true });
    expect(properties['victimId']).toEqual({ type: 'string', format: 'uuid' });
  });
});
