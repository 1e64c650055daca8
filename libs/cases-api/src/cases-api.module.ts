import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DecisionRunner } from '#platform';
import { GetCaseQueryHandler, HandleCaseCommandHandler } from './case.cqrs.js';
import { CaseOutcomeController } from './case-outcome.controller.js';
import { CaseEvidenceController } from './case-evidence.controller.js';
import { CasesController } from './cases.controller.js';

/** The cases service's HTTP command API; needs InfrastructureModule in the importing app. */
@Module({
  imports: [CqrsModule],
  controllers: [CasesController, CaseOutcomeController, CaseEvidenceController],
  providers: [DecisionRunner, HandleCaseCommandHandler, GetCaseQueryHandler],
})
export class CasesApiModule {}
