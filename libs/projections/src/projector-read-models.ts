import type { ReadModel } from './read-model.js';
import { FORCE_READ_MODELS } from './read-models/index.js';

/**
 * The read models the projector keeps in every force's schema: the force read models (the case summaries were
 * retired for the investigations, ADR 0027; `/case-summaries` is an alias answered from them).
 */
export const PROJECTOR_READ_MODELS: readonly ReadModel[] = FORCE_READ_MODELS;
