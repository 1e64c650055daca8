import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { ForceCode } from '#contracts';
import { accreditedCoverage, type AccreditedCoverage } from '#kpis';
import { Allow } from '#platform';
import { openCaseloadByOfficer } from '#projections';
import { ReadModelDatabase } from './read-model-database.js';

export class AccreditedCoverageView {
  @ApiProperty({ description: 'Open investigations (recorded, not closed or cancelled).' }) openInvestigations!: number;
  @ApiProperty({ description: 'Of those, with an investigator assigned.' }) assigned!: number;
  @ApiProperty({ description: 'Of those, whose assigned investigator holds a current accreditation.' }) accredited!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'accredited / openInvestigations (4 places); null when none is open.' })
  share!: number | null;
}

/**
 * Workforce measures of a force (issue 13, docs/kpis.md "Workforce"), from its caseload read model: the caseload is
 * derived from the case streams' assignments (GET /forces/{force}/caseload shows it per officer beside the declared
 * count), and accredited-investigator coverage is measured over it. Supervisors and the force's administrator only.
 */
@ApiTags('read models')
@ApiBearerAuth()
@ApiParam({ name: 'force', description: "The caller's own force code" })
@ApiServiceUnavailableResponse({ description: "The force's read models are not built yet." })
@Controller('forces/:force/caseload')
export class WorkforceController {
  constructor(private readonly db: ReadModelDatabase) {}

  @Get('accredited-coverage')
  @Allow('supervisor', 'administrator')
  @ApiOkResponse({ type: AccreditedCoverageView, description: 'The share of open investigations with an accredited investigator.' })
  async accreditedCoverage(@Param('force') force: ForceCode): Promise<AccreditedCoverage> {
    return accreditedCoverage(await openCaseloadByOfficer(await this.db.forceReader(force)));
  }
}
