import type { KeyObject } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { HEALTH_INDICATOR } from '#platform';
import { ForceAccessLogController, NationalAccessLogController } from './access-log.controller.js';
import { AUDIT_SEALING_OPTIONS, AuditSealingService, type AuditSealingOptions } from './audit-sealing.js';
import { AUDIT_PUBLIC_KEY, CheckpointReader, CheckpointsController } from './checkpoints.controller.js';
import { AuditStateController, AuditVerifier } from './audit-state.js';

export interface AuditApiOptions {
  /** The key checkpoints are verified with (published at /national/audit/public-key). */
  readonly publicKey: KeyObject;
  /** Run the sealer in this process (the sealer app, the quick start). */
  readonly sealing?: AuditSealingOptions;
}

/**
 * The audit service: the access log for auditors, signed checkpoints for forces, the audit state and verification,
 * optionally the sealer loop. Needs InfrastructureModule.
 */
@Module({})
export class AuditApiModule {
  static forRoot(options: AuditApiOptions): DynamicModule {
    return {
      module: AuditApiModule,
      controllers: [ForceAccessLogController, NationalAccessLogController, CheckpointsController, AuditStateController],
      providers: [
        CheckpointReader,
        AuditVerifier,
        { provide: AUDIT_PUBLIC_KEY, useValue: options.publicKey },
        ...(options.sealing
          ? [
              { provide: AUDIT_SEALING_OPTIONS, useValue: options.sealing },
              AuditSealingService,
              { provide: HEALTH_INDICATOR, useExisting: AuditSealingService },
            ]
          : []),
      ],
      // The sealer's refusal turns the app's /health to 503 (ADR 0023).
      exports: options.sealing ? [AuditSealingService, HEALTH_INDICATOR] : [],
    };
  }
}
