import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BROKER_READINESS, brokerReadiness, DecisionRunner, PROJECTOR_BUS } from '#platform';
import { CaseSummariesController, GetCaseSummaryHandler, ListCaseSummariesHandler } from './case-summaries.controller.js';
import { NationalProjectionsController } from './national-projections.controller.js';
import { ProjectionMetricsController, ProjectionMetricsService } from './projection-metrics.service.js';
import { ProjectionsController } from './projections.controller.js';
import { ProjectorService } from './projector.service.js';

/**
 * The projector's HTTP surface and runtime host: the force projection runtimes of the process (ProjectorService),
 * operating them (lag, dead letters, rebuilds), onboarding forces, the case summaries and /metrics.
 */
@Module({
  imports: [CqrsModule],
  controllers: [CaseSummariesController, ProjectionsController, NationalProjectionsController, ProjectionMetricsController],
  providers: [ProjectorService, ProjectionMetricsService, ListCaseSummariesHandler, GetCaseSummaryHandler, DecisionRunner, brokerReadiness(PROJECTOR_BUS)],
  exports: [ProjectorService, BROKER_READINESS],
})
export class ProjectorModule {}
