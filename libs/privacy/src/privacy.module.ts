import { Module } from '@nestjs/common';
import { ErasuresController } from './erasures.controller.js';
import { SubscriptionStatusController } from './subscription-status.controller.js';

/** Erasure, integrators' data keys (ADR 0011) and their subscription status (ADR 0032); needs InfrastructureModule in the importing app. */
@Module({ controllers: [ErasuresController, SubscriptionStatusController] })
export class PrivacyModule {}
