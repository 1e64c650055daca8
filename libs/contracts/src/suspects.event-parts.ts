import {
  enumSchema as enumOf,
  instantSchema as instant,
  officerIdSchema as officerId,
  recordSchema as record,
  uuidSchema as uuid,
} from './json-schema.js';
import { POLICE_RANKS } from './suspects.vocabulary.js';

// Shared parts of the suspects context's event definitions (suspects.events.ts, suspects.bail-events.ts).

export const authoriser = record({ officerId, rank: enumOf(POLICE_RANKS) });
/** Whether the victim's views on the bail conditions were sought (required where practicable), and when. */
export const victimViews = { victimViewsSought: { type: 'boolean' }, victimViewsSoughtAt: instant } as const;

export function onSuspect<const P extends Record<string, object>, const O extends keyof P & string = never>(
  properties: P,
  optional: readonly O[] = [],
) {
  return record({ caseId: uuid, suspectId: uuid, ...properties }, optional);
}

export const ids = { caseId: '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60', suspectId: '9b2d4c1e-5f6a-4b7c-8d9e-0a1b2c3d4e5f' };
export const orderId = 'c7e1a2b3-4d5e-4f60-8a9b-0c1d2e3f4a5b';

export const context = 'suspects';
