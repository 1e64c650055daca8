import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DecisionRunner } from '#platform';
import { GetSuspectQueryHandler, HandleSuspectCommandHandler } from './suspect.cqrs.js';
import { SuspectCourtController } from './suspect-court.controller.js';
import { SuspectCustodyController } from './suspect-custody.controller.js';
import { SuspectDisruptionController } from './suspect-disruption.controller.js';
import { SuspectSafeguardingController } from './suspect-safeguarding.controller.js';
import { SuspectsController } from './suspects.controller.js';

/** The suspects service's HTTP command API; needs InfrastructureModule in the importing app. */
@Module({
  imports: [CqrsModule],
  controllers: [
    SuspectsController,
    SuspectCustodyController,
    SuspectSafeguardingController,
    SuspectDisruptionController,
    SuspectCourtController,
  ],
  providers: [DecisionRunner, HandleSuspectCommandHandler, GetSuspectQueryHandler],
})
export class SuspectsApiModule {}
