import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DecisionRunner } from '#platform';
import { GetOfficerQueryHandler, HandleOfficerCommandHandler } from './officer.cqrs.js';
import { OfficersController } from './officers.controller.js';
import { ForceOperatingModelController, NationalOperatingModelController } from './operating-model.controller.js';
import {
  AdoptModelVersionHandler,
  GetForceModelQueryHandler,
  GetNationalModelQueryHandler,
  HandleNationalModelCommandHandler,
  NationalModelReader,
} from './operating-model.cqrs.js';

/** The learning service's HTTP command API (officer development, operating model); needs InfrastructureModule in the importing app. */
@Module({
  imports: [CqrsModule],
  controllers: [OfficersController, ForceOperatingModelController, NationalOperatingModelController],
  providers: [
    DecisionRunner,
    NationalModelReader,
    HandleOfficerCommandHandler,
    GetOfficerQueryHandler,
    AdoptModelVersionHandler,
    GetForceModelQueryHandler,
    HandleNationalModelCommandHandler,
    GetNationalModelQueryHandler,
  ],
})
export class LearningApiModule {}
