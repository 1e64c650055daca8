import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#contracts';
import type { ReadModel, ReadModelTables } from '../../read-model.js';
import { applyKeyedFold, createTableSql, insertRows } from '../table-spec.js';
import { investigationFold, timelineRows, TIMELINE_EVENTS } from './investigations.fold.js';
import { INVESTIGATION_TIMELINE, INVESTIGATIONS } from './investigations.table.js';

/** Investigations: the list (filters, paging) and each case's timeline. */
export const investigationsReadModel: ReadModel = {
  name: 'investigations',
  version: 1,
  eventTypes: TIMELINE_EVENTS,
  tables: [INVESTIGATIONS.base, INVESTIGATION_TIMELINE.base],
  createTables: (t: ReadModelTables) => [...createTableSql(t, INVESTIGATIONS), ...createTableSql(t, INVESTIGATION_TIMELINE)],
  async apply(em: EntityManager, t: ReadModelTables, events: readonly RecordedEvent[]): Promise<void> {
    await applyKeyedFold(em, t, investigationFold, events);
    await insertRows(em, t, INVESTIGATION_TIMELINE, timelineRows(events));
  },
};
