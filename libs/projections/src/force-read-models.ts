import { caseSummariesReadModel } from './cases/case-summaries.read-model.js';
import type { ReadModel } from './read-model.js';

/** The read models every force's projection runtime keeps (the projector app runs exactly these). */
export const FORCE_READ_MODELS: readonly ReadModel[] = [caseSummariesReadModel];
