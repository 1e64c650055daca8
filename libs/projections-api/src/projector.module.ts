import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BROKER_READINESS, brokerReadiness, DecisionRunner, PROJECTOR_BUS } from '#platform';
import { NationalProjectionsController } from './national-projections.controller.js';
import { ProjectionMetricsService } from './projection-metrics.service.js';
import { ProjectionsController } from './projections.controller.js';
import { ProjectorService } from './projector.service.js';

/**
 * The projector's HTTP surface and runtime host: the force projection runtimes of the process (ProjectorService),
 * operating them (lag, dead letters, rebuilds), onboarding forces and /metrics
 * (the read models' queries, `/case-summaries` included, are libs/read-models-api's).
 */
@Module({
  imports: [CqrsModule],
  controllers: [ProjectionsController, NationalProjectionsController],
  providers: [ProjectorService, ProjectionMetricsService, DecisionRunner, brokerReadiness(PROJECTOR_BUS)],
  exports: [ProjectorService, BROKER_READINESS],
})
export class ProjectorModule {}
