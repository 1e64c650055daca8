import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#contracts';
import type { ReadModel, ReadModelTables } from '../../read-model.js';
import { applyKeyedFold, createTableSql } from '../table-spec.js';
import { SUSPECT_EVENTS, suspectFold } from './suspects.fold.js';
import { SUSPECTS } from './suspects.table.js';

/** Suspects per force: status, bail end dates, repeat flag. */
export const suspectsReadModel: ReadModel = {
  name: 'suspects',
  version: 1,
  eventTypes: SUSPECT_EVENTS,
  tables: [SUSPECTS.base],
  createTables: (t: ReadModelTables) => createTableSql(t, SUSPECTS),
  apply: (em: EntityManager, t: ReadModelTables, events: readonly RecordedEvent[]) => applyKeyedFold(em, t, suspectFold, events),
};
