import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#contracts';
import type { ReadModel, ReadModelTables } from '../../read-model.js';
import { applyKeyedFold, createTableSql } from '../table-spec.js';
import { assignmentFold, CASELOAD_CASE_EVENTS, CASELOAD_LEARNING_EVENTS, learningFold } from './caseload.fold.js';
import { CASE_ASSIGNMENTS, OFFICER_LEARNING } from './caseload.table.js';

/** Officer caseload (open cases assigned) and learning (accreditation, training, recorded caseload). */
export const caseloadReadModel: ReadModel = {
  name: 'caseload',
  version: 1,
  eventTypes: new Set([...CASELOAD_CASE_EVENTS, ...CASELOAD_LEARNING_EVENTS]),
  tables: [CASE_ASSIGNMENTS.base, OFFICER_LEARNING.base],
  createTables: (t: ReadModelTables) => [...createTableSql(t, CASE_ASSIGNMENTS), ...createTableSql(t, OFFICER_LEARNING)],
  async apply(em: EntityManager, t: ReadModelTables, events: readonly RecordedEvent[]): Promise<void> {
    await applyKeyedFold(em, t, assignmentFold, events);
    await applyKeyedFold(em, t, learningFold, events);
  },
};
