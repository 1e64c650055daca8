import { randomUUID } from 'node:crypto';
import { CaseEventTypes as C, SuspectEventTypes as S, VictimEventTypes as V, type RecordedEvent } from '#contracts';
import { aCase, recorded } from '#testing';

/** A few investigations across every read model, each event on its own stream with its own revision. */
export function history(): RecordedEvent[] {
  const suspectId = randomUUID();
  const charged = aCase().recorded(0).contacted(0).isva(2).earlyAdvice(20).charged(60, suspectId).outcome(1, 61);
  const withdrawn = aCase()
    .recorded(3, 4)
    .contacted(4)
    .withdrew(30, 'early-investigation')
    .reEngaged(40)
    .withdrew(50, 'awaiting-charging-decision')
    .outcome(16, 55);
  const reopened = aCase()
    .recorded(5)
    .contacted(5)
    .duty(randomUUID(), 'on-time')
    .duty(randomUUID(), 'missed')
    .duty(randomUUID(), 'open')
    .outcome(18, 20)
    .reopened(30, 18);
  const streams = new Map<string, RecordedEvent[]>();
  const put = (streamId: string, event: RecordedEvent) => {
    const list = streams.get(streamId) ?? streams.set(streamId, []).get(streamId)!;
    list.push({ ...event, streamId, revision: BigInt(list.length) });
  };
  // The arrest comes first on its suspect's stream, the charge (in `charged`) after it.
  put(
    `suspect-${suspectId}`,
    recorded(S.SuspectArrested, {
      caseId: charged.caseId,
      suspectId,
      arrestedAt: '2026-01-05T00:00:00.000Z',
      custodyClockStartedAt: '2026-01-05T00:10:00.000Z',
    }),
  );
  for (const c of [charged, withdrawn, reopened]) {
    put(`case-${c.caseId}`, recorded(C.InvestigationOpened, { caseId: c.caseId, openedAt: '2026-01-02T00:00:00.000Z' }));
    put(
      `case-${c.caseId}`,
      recorded(C.InvestigatorAssigned, { caseId: c.caseId, officerId: 'AS-4471', assignedAt: '2026-01-02T00:00:00.000Z' }),
    );
    for (const e of c.events) {
      const data = e.data as { caseId: string; victimId?: string; suspectId?: string };
      put(
        e.type.includes('.victims.')
          ? `victim-${data.victimId!}`
          : e.type.includes('.suspects.')
            ? `suspect-${data.suspectId!}`
            : `case-${data.caseId}`,
        e,
      );
    }
  }
  put(
    `officer-avon-somerset-AS-4471`,
    recorded('uk.police.nom.learning.accreditation-achieved.v1', {
      officerId: 'AS-4471',
      programme: 'ssaidp',
      achievedAt: '2026-01-01T00:00:00.000Z',
    }),
  );
  put(
    `victim-${randomUUID()}`,
    recorded(V.FirstContactMade, {
      caseId: charged.caseId,
      victimId: randomUUID(),
      offence: 'rape-of-female-16-plus',
      officerId: 'AS-1',
      channel: 'phone',
      madeAt: '2026-01-01T00:00:00.000Z',
    }),
  );
  return [...streams.values()].flat();
}
