import { Module } from '@nestjs/common';
import { CaseSummariesController } from './case-summaries.controller.js';
import { ForceReadModelsController, NationalKpisController, NationalMeasuresController } from './force-read-models.controller.js';
import { ForceReadModelQueries } from './force-read-models.queries.js';
import { ReadModelDatabase } from './read-model-database.js';
import { WorkforceController } from './workforce.controller.js';

/**
 * The read models' query API: each force's views in its own schema, and the national KPIs. It only reads; the
 * projection runtime (projector app) writes. `/case-summaries` is the investigations' deprecated alias. Needs
 * InfrastructureModule in the importing app.
 */
@Module({
  controllers: [
    ForceReadModelsController,
    NationalKpisController,
    NationalMeasuresController,
    CaseSummariesController,
    WorkforceController,
  ],
  providers: [ReadModelDatabase, ForceReadModelQueries],
})
export class ReadModelsApiModule {}
