import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DecisionRunner } from '#platform';
import { CaseSummariesController, GetCaseSummaryHandler, ListCaseSummariesHandler } from './case-summaries.controller.js';
import { NationalProjectionsController } from './national-projections.controller.js';
import { ProjectionMetricsService } from './projection-metrics.service.js';
import { ProjectionsController } from './projections.controller.js';
import { ProjectorService } from './projector.service.js';

/**
 * The projector's HTTP surface and runtime host: the force projection runtimes of the process (ProjectorService),
 * operating them (lag, dead letters, rebuilds), onboarding forces, the case summaries and /metrics.
 */
@Module({
  imports: [CqrsModule],
  controllers: [CaseSummariesController, ProjectionsController, NationalProjectionsController],
  providers: [ProjectorService, ProjectionMetricsService, ListCaseSummariesHandler, GetCaseSummaryHandler, DecisionRunner],
  exports: [ProjectorService],
})
export class ProjectorModule {}
