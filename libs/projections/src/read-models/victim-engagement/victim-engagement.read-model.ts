import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#contracts';
import type { ReadModel, ReadModelTables } from '../../read-model.js';
import { applyKeyedFold, createTableSql } from '../table-spec.js';
import { dutyFold, VICTIM_EVENTS, victimFold } from './victim-engagement.fold.js';
import { VICTIM_ENGAGEMENT, VICTIM_UPDATE_DUTIES } from './victim-engagement.table.js';

/** Victim engagement: per victim, and each Victims' Code update duty with its deadline. */
export const victimEngagementReadModel: ReadModel = {
  name: 'victim_engagement',
  // 2: duties keyed by (victim, trigger event) in `dutyId`; version 1 merged the duties one trigger opens for several victims.
  version: 2,
  eventTypes: VICTIM_EVENTS,
  tables: [VICTIM_ENGAGEMENT.base, VICTIM_UPDATE_DUTIES.base],
  createTables: (t: ReadModelTables) => [...createTableSql(t, VICTIM_ENGAGEMENT), ...createTableSql(t, VICTIM_UPDATE_DUTIES)],
  async apply(em: EntityManager, t: ReadModelTables, events: readonly RecordedEvent[]): Promise<void> {
    await applyKeyedFold(em, t, victimFold, events);
    await applyKeyedFold(em, t, dutyFold, events);
  },
};
