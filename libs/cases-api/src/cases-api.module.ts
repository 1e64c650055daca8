import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DecisionRunner } from '#platform';
import { GetCaseQueryHandler, HandleCaseCommandHandler } from './case.cqrs.js';
import { CaseOutcomeController } from './case-outcome.controller.js';
import { CaseEvidenceController } from './case-evidence.controller.js';
import { CaseCpsController } from './case-cps.controller.js';
import { CasesController } from './cases.controller.js';
import { CaseDigitalController } from './case-digital.controller.js';
import { ProblemProfileController } from './problem-profile.controller.js';

/** The cases service's HTTP command API; needs InfrastructureModule in the importing app. */
@Module({
  imports: [CqrsModule],
  controllers: [
    CasesController,
    CaseOutcomeController,
    CaseEvidenceController,
    CaseDigitalController,
    ProblemProfileController,
    CaseCpsController,
  ],
  providers: [DecisionRunner, HandleCaseCommandHandler, GetCaseQueryHandler],
})
export class CasesApiModule {}
