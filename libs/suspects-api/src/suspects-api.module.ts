import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DecisionRunner } from '#platform';
import { GetSuspectQueryHandler, HandleSuspectCommandHandler } from './suspect.cqrs.js';
import { SuspectsController } from './suspects.controller.js';

/** The suspects service's HTTP command API; needs InfrastructureModule in the importing app. */
@Module({
  imports: [CqrsModule],
  controllers: [SuspectsController],
  providers: [DecisionRunner, HandleSuspectCommandHandler, GetSuspectQueryHandler],
})
export class SuspectsApiModule {}
