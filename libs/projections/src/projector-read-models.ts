import { caseSummariesReadModel } from './cases/case-summaries.read-model.js';
import type { ReadModel } from './read-model.js';
import { FORCE_READ_MODELS } from './read-models/index.js';

/** The read models the projector keeps in every force's schema: the case summaries and the force read models. */
export const PROJECTOR_READ_MODELS: readonly ReadModel[] = [caseSummariesReadModel, ...FORCE_READ_MODELS];
