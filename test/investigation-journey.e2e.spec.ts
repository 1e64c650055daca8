import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import request from 'supertest';
import { CaseEventTypes, forceTopic, LearningEventTypes, SuspectEventTypes, VictimEventTypes } from '#contracts';
import { CasesApiModule } from '#cases-api';
import { LearningApiModule } from '#learning-api';
import { DecisionRunner } from '#platform';
import { ProjectorModule } from '#projections-api';
import { RelayModule } from '#relay-runtime';
import { VictimUpdatesProcessManager } from '#process-managers';
import { SuspectsApiModule } from '#suspects-api';
import { testKafka, uniqueName, waitFor } from '#testing';
import { VictimsApiModule } from '#victims-api';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

/**
 * One investigation from report to charge across the four services over HTTP, on the real PostgreSQL and
 * Kafka, with the Victims' Code process manager between them: the arrest opens an update duty for the victim,
 * nobody updates her, and the deadline is recorded as missed. Every step's event must reach the force's topic.
 */
describe('an investigation from report to charge across cases, suspects, victims and learning', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let processManager: VictimUpdatesProcessManager;
  let clock = new Date();
  const received: KafkaMessage[] = [];
  const kafka = new Kafka({ ...testKafka(), logLevel: logLevel.NOTHING });
  const integrator = kafka.consumer({ groupId: uniqueName('journey') });

  beforeAll(async () => {
    backbone = await startBackbone(
      ['avon-somerset'],
      [CasesApiModule, SuspectsApiModule, VictimsApiModule, LearningApiModule, RelayModule, ProjectorModule],
    );
    http = request(backbone.app.getHttpServer());
    // The process manager runs on a clock the test moves, so that a deadline can pass without waiting for it.
    const { store, config } = backbone.infrastructure;
    processManager = await VictimUpdatesProcessManager.open(store, new DecisionRunner(store), {
      databaseUrl: config.databaseUrl!,
      schema: config.eventStoreSchema,
      clock: () => clock,
    });
    await integrator.connect();
    await integrator.subscribe({ topic: forceTopic('avon-somerset', backbone.config.topicPrefix), fromBeginning: true });
    await integrator.run({ eachMessage: ({ message }) => Promise.resolve(void received.push(message)) });
  });

  afterAll(async () => {
    await integrator.disconnect();
    await processManager.close();
    await backbone.close();
  });

  const drain = async (): Promise<void> => {
    await processManager.catchUp();
  };

  it('records every step, opens and misses the victim-update deadline, and publishes it all on the force topic', async () => {
    const officer = `Bearer ${await backbone.token('avon-somerset', ['officer'], 'AS-4471')}`;
    const supervisor = `Bearer ${await backbone.token('avon-somerset', ['supervisor'], 'AS-2210')}`;

    // learning: the investigator enrols on the specialist programme.
    await http
      .post('/forces/avon-somerset/officers/AS-4471/accreditations')
      .set('Authorization', supervisor)
      .send({ programme: 'ssaidp' })
      .expect(200);

    // cases: N100 report, crime recorded, investigation opened and staffed, a suspect-focused plan.
    const report = await http
      .post('/forces/avon-somerset/cases/reports')
      .set('Authorization', officer)
      .send({ n100Reference: 'AS/N100/26/09001', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    const caseId = report.body.caseId as string;
    const casePath = `/forces/avon-somerset/cases/${caseId}`;
    await http
      .post(`${casePath}/crime`)
      .set('Authorization', officer)
      .send({ crimeReference: 'AS/26/009001', offence: 'rape-of-female-16-plus' })
      .expect(200);
    await http.post(`${casePath}/investigation`).set('Authorization', officer).expect(200);
    await http.put(`${casePath}/investigator`).set('Authorization', supervisor).send({ officerId: 'AS-4471' }).expect(200);
    await http.put(`${casePath}/supervisor`).set('Authorization', supervisor).send({ officerId: 'AS-2210' }).expect(200);
    await http
      .put(`${casePath}/plan`)
      .set('Authorization', officer)
      .send({ linesOfEnquiry: [{ lineId: randomUUID(), category: 'suspect-history' }] })
      .expect(200);

    // victims: first contact (rape: enhanced rights, a one-working-day deadline).
    const victim = await http
      .post(`${casePath}/victims`)
      .set('Authorization', officer)
      .send({ offence: 'rape-of-female-16-plus', channel: 'in-person' })
      .expect(201);
    const victimPath = `/forces/avon-somerset/victims/${victim.body.victimId as string}`;
    await http
      .post(`${victimPath}/isva-referral`)
      .set('Authorization', officer)
      .send({ isvaService: 'Somerset and Avon Rape and Sexual Abuse Support' })
      .expect(200);

    // suspects: identified, linked to the case, arrested.
    const suspect = await http
      .post('/forces/avon-somerset/suspects')
      .set('Authorization', officer)
      .send({ caseId, name: 'Daniel Marsh', dateOfBirth: '1988-04-17', pncId: '12/345678A' })
      .expect(201);
    const suspectId = suspect.body.suspectId as string;
    const suspectPath = `/forces/avon-somerset/suspects/${suspectId}`;
    await http.post(`${casePath}/suspects`).set('Authorization', officer).send({ suspectId }).expect(200);
    const arrestedAt = new Date(Date.now() - 3_600_000).toISOString();
    await http
      .post(`${suspectPath}/arrest`)
      .set('Authorization', officer)
      .send({ arrestedAt, custodyClockStartedAt: new Date(Date.now() - 3_000_000).toISOString() })
      .expect(200);

    // The process manager opens the victim's update duty; nobody updates her; the deadline passes.
    await drain();
    const duty = await waitFor('the update duty on the victim', async () => {
      const view = await http.get(victimPath).set('Authorization', officer);
      return (view.body.updateDuties as { status: string; dueBy: string }[] | undefined)?.find((d) => d.status === 'open');
    });
    clock = new Date(Date.parse(duty.dueBy) + 60_000);
    expect(await processManager.fireDueTimers()).toBe(1);
    await drain();

    // Charge: the CPS decides, the suspect is charged, the case closes with outcome 1 (which closes the duties).
    await http.post(`${casePath}/cps/charging-file`).set('Authorization', officer).send({ cpsReference: '52AS0909126' }).expect(200);
    await http
      .post(`${casePath}/cps/charging-decision`)
      .set('Authorization', supervisor)
      .send({ cpsReference: '52AS0909126', decision: 'charge' })
      .expect(200);
    await http.post(`${suspectPath}/charge`).set('Authorization', supervisor).send({ cpsDecisionReference: '52AS0909126' }).expect(200);
    await http.post(`${casePath}/outcome`).set('Authorization', supervisor).send({ outcomeCode: 1 }).expect(200);
    await drain();

    const expected = [
      LearningEventTypes.AccreditationEnrolled,
      CaseEventTypes.ReportReceived,
      CaseEventTypes.CrimeRecorded,
      CaseEventTypes.InvestigationOpened,
      VictimEventTypes.FirstContactMade,
      VictimEventTypes.ReferredToIsva,
      SuspectEventTypes.SuspectIdentified,
      CaseEventTypes.SuspectLinked,
      SuspectEventTypes.SuspectArrested,
      VictimEventTypes.UpdateDutyOpened,
      VictimEventTypes.UpdateDeadlineMissed,
      CaseEventTypes.ChargingDecisionMade,
      SuspectEventTypes.SuspectCharged,
      CaseEventTypes.OutcomeRecorded,
    ];
    await waitFor(
      'every step on the force topic',
      () => expected.every((type) => received.some((m) => m.headers?.['ce_type']?.toString() === type)),
      { timeoutMs: 30_000 },
    );
    const missed = received.find((m) => m.headers?.['ce_type']?.toString() === VictimEventTypes.UpdateDeadlineMissed)!;
    expect(JSON.parse(missed.value!.toString())).toMatchObject({ trigger: 'suspect-arrested' });
    expect(missed.headers?.['ce_nomactor']?.toString()).toBe('system:victim-updates');
    const closedCase = await http.get(casePath).set('Authorization', officer).expect(200);
    expect(closedCase.body).toMatchObject({ status: 'closed', outcomeCode: 1 });
  });
});
