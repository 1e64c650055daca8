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
  readonly reportedDaysAgo: number;
  readonly investigator?: string;
  readonly outcome?: number;
}

const DEMO: Record<string, readonly DemoCase[]> = {
  'avon-somerset': [
    { offence: 'rape-of-female-16-plus', reportedDaysAgo: 410, investigator: 'AS-4471', outcome: 1 },
    { offence: 'rape-of-female-16-plus', reportedDaysAgo: 120, investigator: 'AS-5120' },
    { offence: 'sexual-assault', reportedDaysAgo: 35, investigator: 'AS-4471' },
    { offence: 'rape-of-male-16-plus', reportedDaysAgo: 3 },
  ],
  metropolitan: [
    { offence: 'rape-of-female-16-plus', reportedDaysAgo: 600, investigator: 'MP-20931', outcome: 16 },
    { offence: 'rape-of-female-under-16', reportedDaysAgo: 90, investigator: 'MP-18840' },
    { offence: 'sexual-activity-with-child', reportedDaysAgo: 14, investigator: 'MP-20931' },
  ],
  wiltshire: [
    { offence: 'rape-of-female-16-plus', reportedDaysAgo: 250, investigator: 'WI-0712', outcome: 14 },
    { offence: 'other-sexual-offence', reportedDaysAgo: 40, investigator: 'WI-0388' },
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
      const steps: CaseCommand[] = [
        { kind: 'record-crime', caseId, crimeReference: `${code}/26/${String(4200 + index).padStart(6, '0')}`, offence: demo.offence, reportedAt, at: reportedAt },
        { kind: 'open-investigation', caseId, at: reportedAt },
        ...(demo.investigator ? [{ kind: 'assign-investigator', caseId, officerId: demo.investigator, at: reportedAt } as const] : []),
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
