import { endOfLondonDay, isBritishSummerTime, londonDate } from '#calendar';
import { BASELINE_MODEL } from '#contracts';
import { updateDeadline } from '../src/index.js';

const RULE = BASELINE_MODEL.rules.victimUpdateDeadline;

describe('Europe/London time', () => {
  it.each([
    ['2026-03-29T00:59:59.999Z', false],
    ['2026-03-29T01:00:00.000Z', true],
    ['2026-10-25T00:59:59.999Z', true],
    ['2026-10-25T01:00:00.000Z', false],
    ['2025-03-30T01:00:00.000Z', true],
    ['2025-10-26T01:00:00.000Z', false],
    ['2026-01-15T12:00:00.000Z', false],
    ['2026-07-15T12:00:00.000Z', true],
  ])('%s is British Summer Time: %p', (instant, expected) => {
    expect(isBritishSummerTime(Date.parse(instant))).toBe(expected);
  });

  it.each([
    ['2026-06-04T22:59:59Z', '2026-06-04'],
    ['2026-06-04T23:00:00Z', '2026-06-05'],
    ['2026-12-04T23:30:00Z', '2026-12-04'],
    ['2026-06-05T00:30:00+01:00', '2026-06-05'],
  ])('the London date of %s is %s', (instant, date) => {
    expect(londonDate(instant)).toBe(date);
  });

  it.each([
    ['2026-06-08', '2026-06-08T22:59:59.999Z', 'summer'],
    ['2026-12-08', '2026-12-08T23:59:59.999Z', 'winter'],
    ['2026-03-28', '2026-03-28T23:59:59.999Z', 'the night before the clocks go forward'],
    ['2026-03-29', '2026-03-29T22:59:59.999Z', 'the day the clocks go forward'],
    ['2026-10-24', '2026-10-24T22:59:59.999Z', 'the night before the clocks go back'],
    ['2026-10-25', '2026-10-25T23:59:59.999Z', 'the day the clocks go back'],
  ])('the London day %s ends at %s (%s)', (date, end) => {
    expect(endOfLondonDay(date)).toBe(end);
  });

  it('refuses instants without a zone', () => {
    expect(() => londonDate('2026-06-04T23:00:00')).toThrow(RangeError);
  });
});

describe(updateDeadline.name, () => {
  it('gives 5 working days, to the end of the last day', () => {
    expect(updateDeadline('2026-11-16T09:00:00Z', false, RULE)).toEqual({
      workingDays: 5,
      dueDate: '2026-11-23',
      dueBy: '2026-11-23T23:59:59.999Z',
    });
  });

  it('gives 1 working day under enhanced rights: a Friday arrest is due by the end of Monday', () => {
    expect(updateDeadline('2026-11-20T07:05:00Z', true, RULE)).toEqual({
      workingDays: 1,
      dueDate: '2026-11-23',
      dueBy: '2026-11-23T23:59:59.999Z',
    });
  });

  it('counts from the London date: 00:30 BST on Friday is Friday, though Thursday in UTC', () => {
    expect(updateDeadline('2026-06-04T23:30:00Z', true, RULE).dueDate).toBe('2026-06-08');
    expect(updateDeadline('2026-06-04T22:30:00Z', true, RULE).dueDate).toBe('2026-06-05');
  });

  it('skips Easter and ends in BST when the clocks went forward in between', () => {
    expect(updateDeadline('2026-03-26T12:00:00Z', false, RULE)).toEqual({
      workingDays: 5,
      dueDate: '2026-04-02',
      dueBy: '2026-04-02T22:59:59.999Z',
    });
    expect(updateDeadline('2026-04-02T12:00:00Z', false, RULE).dueDate).toBe('2026-04-13');
  });

  it('ends in GMT when the clocks went back in between', () => {
    expect(updateDeadline('2026-10-22T10:00:00Z', true, RULE).dueBy).toBe('2026-10-23T22:59:59.999Z');
    expect(updateDeadline('2026-10-22T10:00:00Z', false, RULE).dueBy).toBe('2026-10-29T23:59:59.999Z');
  });

  it('skips Christmas and the substitute Boxing Day', () => {
    expect(updateDeadline('2026-12-24T23:30:00Z', true, RULE).dueDate).toBe('2026-12-29');
  });
});
