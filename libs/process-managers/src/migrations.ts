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

/** The running bails' timers (issue 13): a reminder before bail ends, and its lapse. */
export class CreateBailTimers1765200000000 implements MigrationInterface {
  name = 'CreateBailTimers1765200000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`
      CREATE TABLE ${s}.pm_bail_timers (
        suspect_id uuid PRIMARY KEY,
        case_id    uuid NOT NULL,
        force      text NOT NULL,
        ends_on    date NOT NULL,
        remind_at  timestamptz,
        lapse_at   timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX pm_bail_timers_lapse_idx ON ${s}.pm_bail_timers (lapse_at)`);
    await queryRunner.query(`CREATE INDEX pm_bail_timers_remind_idx ON ${s}.pm_bail_timers (remind_at) WHERE remind_at IS NOT NULL`);
    // Built from the log up to the manager's checkpoint on first open, then kept by the manager as it reads.
    await queryRunner.query(`CREATE TABLE ${s}.pm_bail_timers_state (built boolean NOT NULL)`);
    await queryRunner.query(`INSERT INTO ${s}.pm_bail_timers_state (built) VALUES (false)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TABLE ${s}.pm_bail_timers, ${s}.pm_bail_timers_state`);
  }
}

/** The process manager's migrations, in order: what `nom migrate` runs, and the manager checks on start. */
export const PROCESS_MANAGER_MIGRATIONS = [CreateProcessManagerState1764300300000, CreateBailTimers1765200000000];
export const PROCESS_MANAGER_MIGRATIONS_TABLE = 'process_manager_migrations';
