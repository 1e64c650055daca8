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

/** The open CPS actions' timers (issue 13, docs/cps-rules.md): an action past its due day is recorded overdue once. */
export class CreateCpsActionTimers1765300000000 implements MigrationInterface {
  name = 'CreateCpsActionTimers1765300000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`
      CREATE TABLE ${s}.pm_cps_action_timers (
        case_id    uuid NOT NULL,
        action_id  uuid NOT NULL,
        force      text NOT NULL,
        due_by     date NOT NULL,
        overdue_at timestamptz NOT NULL,
        PRIMARY KEY (case_id, action_id)
      )`);
    await queryRunner.query(`CREATE INDEX pm_cps_action_timers_overdue_idx ON ${s}.pm_cps_action_timers (overdue_at)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TABLE ${s}.pm_cps_action_timers`);
  }
}

/** The open cases' supervisory review timers (issue 13): a review due a cycle after assignment or the last review. */
export class CreateReviewTimers1765400000000 implements MigrationInterface {
  name = 'CreateReviewTimers1765400000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`
      CREATE TABLE ${s}.pm_review_timers (
        case_id      uuid PRIMARY KEY,
        force        text NOT NULL,
        officer_id   text,
        open         boolean NOT NULL,
        cycle_from   timestamptz NOT NULL,
        notified_for date
      )`);
    // Built from the log up to the manager's checkpoint on first open, then kept by the manager as it reads.
    await queryRunner.query(`CREATE TABLE ${s}.pm_review_timers_state (built boolean NOT NULL)`);
    await queryRunner.query(`INSERT INTO ${s}.pm_review_timers_state (built) VALUES (false)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TABLE ${s}.pm_review_timers, ${s}.pm_review_timers_state`);
  }
}

/** The process manager's migrations, in order: what `nom migrate` runs, and the manager checks on start. */
/**
 * Releases under investigation join the bail timers (their review's due date, issue 13): the table is built again
 * from the log up to the manager's checkpoint on its next open, so that releases already running get their timer.
 */
export class RuiReviewTimers1765500000000 implements MigrationInterface {
  name = 'RuiReviewTimers1765500000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`UPDATE ${s}.pm_bail_timers_state SET built = false`);
  }
  async down(): Promise<void> {
    // Nothing to undo: the rows are rebuilt from the log.
  }
}

/** The update frequency agreed with each victim (issue 13, Victims' Code right 6): when its current period ends. */
export class CreateAgreedUpdateTimers1765600000000 implements MigrationInterface {
  name = 'CreateAgreedUpdateTimers1765600000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`
      CREATE TABLE ${s}.pm_agreed_updates (
        victim_id  uuid PRIMARY KEY,
        case_id    uuid NOT NULL,
        force      text NOT NULL,
        every_days integer NOT NULL CHECK (every_days BETWEEN 1 AND 90),
        since      timestamptz NOT NULL,
        due_by     timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX pm_agreed_updates_due_idx ON ${s}.pm_agreed_updates (due_by)`);
    await queryRunner.query(`CREATE INDEX pm_agreed_updates_case_idx ON ${s}.pm_agreed_updates (case_id)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TABLE ${s}.pm_agreed_updates`);
  }
}

export const PROCESS_MANAGER_MIGRATIONS = [
  CreateProcessManagerState1764300300000,
  CreateBailTimers1765200000000,
  CreateCpsActionTimers1765300000000,
  CreateReviewTimers1765400000000,
  RuiReviewTimers1765500000000,
  CreateAgreedUpdateTimers1765600000000,
];
export const PROCESS_MANAGER_MIGRATIONS_TABLE = 'process_manager_migrations';
