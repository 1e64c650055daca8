import { addWorkingDays, bankHolidays, easterSunday, isBankHoliday, isWorkingDay } from '../src/index.js';

// Known dates: the GOV.UK list of England and Wales bank holidays.
describe('England and Wales bank holidays', () => {
  it.each([
    [2024, ['2024-01-01', '2024-03-29', '2024-04-01', '2024-05-06', '2024-05-27', '2024-08-26', '2024-12-25', '2024-12-26']],
    [2025, ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26']],
    [2026, ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28']],
    [2027, ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28']],
  ])('computes %i by rule', (year, expected) => {
    expect(bankHolidays(year)).toEqual(expected);
  });

  it.each([
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'], // the latest possible Easter
    [2285, '2285-03-22'], // the earliest possible Easter
    [2000, '2000-04-23'],
  ])('finds Easter Sunday %i on %s', (year, easter) => {
    expect(easterSunday(year)).toBe(easter);
  });

  describe('substitute days', () => {
    it('moves New Year to Monday 3 January when 1 January is a Saturday (2022)', () => {
      expect(bankHolidays(2022)[0]).toBe('2022-01-03');
    });
    it('moves New Year to Monday 2 January when 1 January is a Sunday (2023)', () => {
      expect(bankHolidays(2023)[0]).toBe('2023-01-02');
    });
    it('moves Christmas on a Saturday and Boxing Day on a Sunday to Monday 27 and Tuesday 28 (2021)', () => {
      expect(bankHolidays(2021).slice(-2)).toEqual(['2021-12-27', '2021-12-28']);
    });
    it('keeps Boxing Day on Monday 26 and moves Christmas on a Sunday to Tuesday 27 (2022)', () => {
      expect(bankHolidays(2022).slice(-2)).toEqual(['2022-12-26', '2022-12-27']);
    });
    it('moves only Boxing Day on a Saturday, to Monday 28 (2026)', () => {
      expect(bankHolidays(2026).slice(-2)).toEqual(['2026-12-25', '2026-12-28']);
    });
  });

  describe('one-off changes', () => {
    it('moved the 2020 early May bank holiday to Friday 8 May (VE Day)', () => {
      expect(isBankHoliday('2020-05-08')).toBe(true);
      expect(isBankHoliday('2020-05-04')).toBe(false);
    });
    it('moved the 2022 spring bank holiday to Thursday 2 June, added the Jubilee and the state funeral', () => {
      expect(bankHolidays(2022)).toEqual([
        '2022-01-03',
        '2022-04-15',
        '2022-04-18',
        '2022-05-02',
        '2022-06-02',
        '2022-06-03',
        '2022-08-29',
        '2022-09-19',
        '2022-12-26',
        '2022-12-27',
      ]);
      expect(isBankHoliday('2022-05-30')).toBe(false);
    });
    it('added Monday 8 May 2023 for the coronation, beside the early May bank holiday', () => {
      expect(bankHolidays(2023)).toEqual(expect.arrayContaining(['2023-05-01', '2023-05-08']));
      expect(bankHolidays(2023)).toHaveLength(9);
    });
    it('added the 2011 royal wedding and moved the 2012 spring bank holiday for the Diamond Jubilee', () => {
      expect(isBankHoliday('2011-04-29')).toBe(true);
      expect(bankHolidays(2012)).toEqual(expect.arrayContaining(['2012-06-04', '2012-06-05']));
      expect(isBankHoliday('2012-05-28')).toBe(false);
    });
  });

  it('refuses years before the rules existed', () => {
    expect(() => bankHolidays(1977)).toThrow(RangeError);
  });
});

describe(isWorkingDay.name, () => {
  it.each([
    ['2026-11-20', true, 'a Friday'],
    ['2026-11-21', false, 'a Saturday'],
    ['2026-11-22', false, 'a Sunday'],
    ['2026-04-03', false, 'Good Friday'],
    ['2026-04-06', false, 'Easter Monday'],
    ['2026-12-28', false, 'the Boxing Day substitute'],
    ['2026-12-29', true, 'the Tuesday after'],
  ])('%s is a working day: %p (%s)', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it('takes the London date of an instant: 23:30 UTC on Friday 5 June 2026 is Saturday in London', () => {
    expect(isWorkingDay('2026-06-05T22:59:00Z')).toBe(true);
    expect(isWorkingDay('2026-06-05T23:30:00Z')).toBe(false);
  });

  it('refuses what is not a date', () => {
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => isWorkingDay('next Tuesday')).toThrow(RangeError);
  });
});

describe(addWorkingDays.name, () => {
  it.each([
    ['2026-11-16', 5, '2026-11-23', 'Monday + 5 is the next Monday'],
    ['2026-11-20', 1, '2026-11-23', 'Friday + 1 skips the weekend'],
    ['2026-11-21', 1, '2026-11-23', 'Saturday + 1 is Monday (the start day never counts)'],
    ['2026-11-22', 5, '2026-11-27', 'Sunday + 5 is Friday'],
    ['2026-04-02', 1, '2026-04-07', 'Thursday before Easter + 1 skips Good Friday to Easter Monday'],
    ['2026-04-02', 5, '2026-04-13', 'Thursday before Easter + 5'],
    ['2026-12-24', 1, '2026-12-29', 'Christmas Eve + 1 skips Christmas and the Boxing Day substitute'],
    ['2021-12-24', 1, '2021-12-29', 'Christmas Eve 2021 + 1 skips both substitute days'],
    ['2026-12-31', 1, '2027-01-04', 'across the year end and New Year'],
    ['2022-05-31', 3, '2022-06-07', 'the 2022 Jubilee weekend'],
    ['2026-11-20', 0, '2026-11-20', 'zero days'],
  ])('%s + %i working days = %s (%s)', (start, n, expected) => {
    expect(addWorkingDays(start, n)).toBe(expected);
  });

  it('counts from the London date of an instant', () => {
    expect(addWorkingDays('2026-06-04T22:30:00Z', 1)).toBe('2026-06-05'); // Thursday 23:30 BST
    expect(addWorkingDays('2026-06-04T23:30:00Z', 1)).toBe('2026-06-08'); // Friday 00:30 BST
  });

  it('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays('2026-11-20', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-11-20', 1.5)).toThrow(RangeError);
  });
});
