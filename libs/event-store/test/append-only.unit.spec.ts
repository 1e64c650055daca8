import {
  appendOnlyTableSql,
  EVENT_LOG_APPEND_ONLY,
  refuseChangeFunctionSql,
  refuseRowChangeTriggerSql,
  refuseTruncateTriggerSql,
} from '#event-store';

// The statements as the migrations wrote them out before they shared the helper: migrations that have run must
// run the same SQL, so these literals are the shipped text, not a restatement of the helper.
const s = 'nom';

describe('append-only table SQL', () => {
  it("gives the event log's shipped migrations their SQL to the letter", () => {
    expect(refuseChangeFunctionSql(s, 'events', EVENT_LOG_APPEND_ONLY)).toBe(`
      CREATE FUNCTION nom.refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'stored events are immutable (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    expect(refuseRowChangeTriggerSql(s, 'events', EVENT_LOG_APPEND_ONLY)).toBe(`
      CREATE TRIGGER events_immutable BEFORE UPDATE OR DELETE ON nom.events
      FOR EACH ROW EXECUTE FUNCTION nom.refuse_event_change()`);
    expect(refuseTruncateTriggerSql(s, 'events', EVENT_LOG_APPEND_ONLY)).toBe(`
      CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON nom.events
      FOR EACH STATEMENT EXECUTE FUNCTION nom.refuse_event_change()`);
  });

  it('names everything after the table by default (the research disclosure log, as first written)', () => {
    expect(appendOnlyTableSql(s, 'research_disclosures')).toEqual([
      `
      CREATE FUNCTION nom.research_disclosures_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'research_disclosures is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`,
      `
      CREATE TRIGGER research_disclosures_append_only BEFORE UPDATE OR DELETE ON nom.research_disclosures
      FOR EACH ROW EXECUTE FUNCTION nom.research_disclosures_append_only()`,
      `
      CREATE TRIGGER research_disclosures_no_truncate BEFORE TRUNCATE ON nom.research_disclosures
      FOR EACH STATEMENT EXECUTE FUNCTION nom.research_disclosures_append_only()`,
    ]);
  });

  it('refuses a message that would break out of its SQL string', () => {
    expect(() => appendOnlyTableSql(s, 't', { message: "it's append-only" })).toThrow(/quote/);
  });
});
