import type { MigrationInterface, QueryRunner } from 'typeorm';
import { targetSchema } from '#event-store';

/** The process manager's own state: which victims belong to a case, and the open update-duty timers. */
export class CreateProcessManagerState1764300300000 implements MigrationInterface {
  name = 'CreateProcessManagerState1764300300000';
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`
      CREATE TABLE ${s}.pm_case_victims (
        case_id   uuid NOT NULL,
        victim_id uuid NOT NULL,
        force     text NOT NULL,
        PRIMARY KEY (case_id, victim_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.pm_update_timers (
        victim_id        uuid NOT NULL,
        trigger_event_id uuid NOT NULL,
        case_id          uuid NOT NULL,
        force            text NOT NULL,
        due_by           timestamptz NOT NULL,
        PRIMARY KEY (victim_id, trigger_event_id)
      )`);
    await queryRunner.query(`CREATE INDEX pm_update_timers_due_idx ON ${s}.pm_update_timers (due_by)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TABLE ${s}.pm_update_timers, ${s}.pm_case_victims`);
  }
}
