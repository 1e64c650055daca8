import type { ReadModel } from '../read-model.js';
import { caseloadReadModel } from './caseload/index.js';
import { investigationsReadModel } from './investigations/index.js';
import { forceKpisReadModel, nationalKpisReadModel } from './kpi-facts/index.js';
import { suspectsReadModel } from './suspects/index.js';
import { victimEngagementReadModel } from './victim-engagement/index.js';

export * from './table-spec.js';
export * from './copy-rows.js';
export * from './columns.js';
export * from './query.js';
export * from './investigations/index.js';
export * from './suspects/index.js';
export * from './victim-engagement/index.js';
export * from './caseload/index.js';
export * from './kpi-facts/index.js';

/** The read models every force runs in its own schema, from its own topic. */
export const FORCE_READ_MODELS: readonly ReadModel[] = [
  investigationsReadModel,
  suspectsReadModel,
  victimEngagementReadModel,
  caseloadReadModel,
  forceKpisReadModel,
];

/** The national read models: one schema (`<prefix>national`), fed by every force's events. No personal data. */
export const NATIONAL_READ_MODELS: readonly ReadModel[] = [nationalKpisReadModel];

/** The national read models' schema, beside the force schemas (`forceSchema`): `national` is no force code. */
export function nationalSchema(prefix = 'force_'): string {
  return `${prefix}national`;
}
