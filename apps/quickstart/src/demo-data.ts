import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { HandleCaseCommand } from '#cases-api';
import type { CaseCommand } from '#cases-domain';
import { deterministicUuid, type ForceCode, type OffenceGroup } from '#contracts';
import type { Identity } from '#platform';

/** Deterministic ids, so that a restarted quick start recognises the demo cases it already seeded. */
const demoId = (...parts: string[]): string => deterministicUuid(...parts);

interface DemoCase {
  readonly offence: OffenceGroup;
  /** Needed when the offence group spans several Home Office codes. */
  readonly offenceCode?: string;
  readonly reportedDaysAgo: number;
  /** Logged first as an N100 incident, recorded as a crime a day later. */
  readonly viaReport?: boolean;
  /** A suspect linked to the case (every outcome but 14, 18 and 20 needs one; 1 also needs them charged). */
  readonly suspect?: boolean;
  readonly investigator?: string;
  readonly outcome?: number;
}

const DEMO: Record<string, readonly DemoCase[]> = {
  'avon-somerset': [
    { offence: 'rape-of-female-16-plus', reportedDaysAgo: 410, investigator: 'AS-4471', suspect: true, outcome: 15 },
    { offence: 'rape-of-female-16-plus', reportedDaysAgo: 120, viaReport: true, investigator: 'AS-5120', suspect: true },
    { offence: 'sexual-assault', offenceCode: '20A', reportedDaysAgo: 35, investigator: 'AS-4471' },
    { offence: 'rape-of-male-16-plus', reportedDaysAgo: 3 },
  ],
  metropolitan: [
    { offence: 'rape-of-female-16-plus', reportedDaysAgo: 600, investigator: 'MP-20931', suspect: true, outcome: 16 },
    { offence: 'rape-of-female-under-16', reportedDaysAgo: 90, investigator: 'MP-18840' },
    { offence: 'sexual-activity-with-child', offenceCode: '22B', reportedDaysAgo: 14, investigator: 'MP-20931' },
  ],
  wiltshire: [
    { offence: 'rape-of-female-16-plus', reportedDaysAgo: 250, investigator: 'WI-0712', outcome: 14 },
    { offence: 'other-sexual-offence', offenceCode: '88A', reportedDaysAgo: 40, viaReport: true, investigator: 'WI-0388' },
  ],
  'south-wales': [{ offence: 'rape-of-female-16-plus', reportedDaysAgo: 60, investigator: 'SW-3301' }],
};

export const DEMO_FORCES = Object.keys(DEMO) as ForceCode[];

/** Seeds demo investigations through the real command path; already-seeded cases are left as they are. */
export async function seedDemoData(app: INestApplication, now: Date = new Date()): Promise<number> {
  const commands = app.get(CommandBus);
  let seeded = 0;
  for (const [force, cases] of Object.entries(DEMO)) {
    const code = force.slice(0, 2).toUpperCase();
    const supervisor: Identity = { force: force as ForceCode, officerId: `${code}-SUP1`, roles: ['supervisor'] };
    for (const [index, demo] of cases.entries()) {
      const caseId = demoId('nom-demo', force, String(index));
      const reportedAt = new Date(now.getTime() - demo.reportedDaysAgo * 86_400_000).toISOString();
      const recordedAt = demo.viaReport ? new Date(Date.parse(reportedAt) + 86_400_000).toISOString() : reportedAt;
      const crimeReference = `${code}/26/${String(4200 + index).padStart(6, '0')}`;
      const crime = { caseId, crimeReference, offence: demo.offence, ...(demo.offenceCode ? { offenceCode: demo.offenceCode } : {}) };
      const steps: CaseCommand[] = [
        ...(demo.viaReport
          ? [
              {
                kind: 'receive-report',
                caseId,
                n100Reference: `${code}/N100/26/${String(800 + index).padStart(5, '0')}`,
                reportedAt,
                at: reportedAt,
              } as const,
              { kind: 'record-crime', ...crime, at: recordedAt } as const,
            ]
          : [{ kind: 'record-crime', ...crime, reportedAt, at: recordedAt } as const]),
        { kind: 'open-investigation', caseId, at: recordedAt },
        ...(demo.investigator ? [{ kind: 'assign-investigator', caseId, officerId: demo.investigator, at: recordedAt } as const] : []),
        ...(demo.suspect ? [{ kind: 'link-suspect', caseId, suspectId: demoId('nom-demo-suspect', caseId), at: recordedAt } as const] : []),
        ...(demo.outcome ? [{ kind: 'record-outcome', caseId, outcomeCode: demo.outcome, at: now.toISOString() } as const] : []),
      ];
      try {
        for (const step of steps) {
          await commands.execute(new HandleCaseCommand(step, { identity: supervisor, correlationId: demoId('corr', caseId) }));
        }
        seeded += 1;
      } catch (error) {
        if ((error as { name?: string }).name !== 'CaseCommandRefused') throw error; // already seeded
      }
    }
  }
  return seeded;
}
