import { Module } from '@nestjs/common';
import { ErasuresController } from './erasures.controller.js';

/** Erasure and integrators' data keys (ADR 0011); needs InfrastructureModule in the importing app. */
@Module({ controllers: [ErasuresController] })
export class PrivacyModule {}
