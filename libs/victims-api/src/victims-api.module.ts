import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DecisionRunner } from '#platform';
import { GetVictimQueryHandler, HandleVictimCommandHandler } from './victim.cqrs.js';
import { CaseVictimsController } from './case-victims.controller.js';
import { VictimCommunicationsController } from './victim-communications.controller.js';
import { VictimEvidenceController } from './victim-evidence.controller.js';
import { VictimsController } from './victims.controller.js';

/** The victims service's HTTP command API; needs InfrastructureModule in the importing app. */
@Module({
  imports: [CqrsModule],
  controllers: [CaseVictimsController, VictimsController, VictimCommunicationsController, VictimEvidenceController],
  providers: [DecisionRunner, HandleVictimCommandHandler, GetVictimQueryHandler],
})
export class VictimsApiModule {}
