import { addDays, firstWeekdayOfMonth, isWeekend, lastWeekdayOfMonth, ymd, type IsoDate } from './calendar-date.js';

/**
 * England and Wales bank holidays, computed by rule for any year (Banking and Financial Dealings Act 1971 and
 * royal proclamations), plus the one-off changes below. The rules hold from 1978, when the early May bank
 * holiday began; the one-off table starts in 2011 (earlier one-offs are not listed).
 * When a new one-off is proclaimed, add it here: deadlines already set are stored in the events, so a
 * change to this table never moves a deadline that was already running.
 */
const MONDAY = 1;

/** Easter Sunday (Gregorian) by the anonymous computus (Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
}

interface OneOff {
  /** A rule-based holiday moved to another day: [from, to]. */
  readonly moved?: readonly (readonly [IsoDate, IsoDate])[];
  readonly added?: readonly IsoDate[];
}

const ONE_OFF_CHANGES: Readonly<Record<number, OneOff>> = {
  2011: { added: ['2011-04-29'] }, // royal wedding
  2012: { moved: [['2012-05-28', '2012-06-04']], added: ['2012-06-05'] }, // Diamond Jubilee
  2020: { moved: [['2020-05-04', '2020-05-08']] }, // VE Day 75th anniversary
  2022: { moved: [['2022-05-30', '2022-06-02']], added: ['2022-06-03', '2022-09-19'] }, // Platinum Jubilee; state funeral
  2023: { added: ['2023-05-08'] }, // coronation
};

/** Christmas Day and Boxing Day, each moved to the next weekday not already a holiday when on a weekend. */
function christmas(year: number): IsoDate[] {
  const days: IsoDate[] = [];
  for (const date of [ymd(year, 12, 25), ymd(year, 12, 26)]) {
    let day = date;
    while (isWeekend(day) || days.includes(day)) day = addDays(day, 1);
    days.push(day);
  }
  return days;
}

function newYear(year: number): IsoDate {
  let day = ymd(year, 1, 1);
  while (isWeekend(day)) day = addDays(day, 1);
  return day;
}

function byRule(year: number): IsoDate[] {
  const easter = easterSunday(year);
  return [
    newYear(year),
    addDays(easter, -2), // Good Friday
    addDays(easter, 1), // Easter Monday
    ymd(year, 5, firstWeekdayOfMonth(year, 5, MONDAY)), // early May
    ymd(year, 5, lastWeekdayOfMonth(year, 5, MONDAY)), // spring
    ymd(year, 8, lastWeekdayOfMonth(year, 8, MONDAY)), // summer
    ...christmas(year),
  ];
}

const cache = new Map<number, readonly IsoDate[]>();

/** The bank holidays of England and Wales in a year, in date order. */
export function bankHolidays(year: number): readonly IsoDate[] {
  if (!Number.isInteger(year) || year < 1978 || year > 9999) throw new RangeError(`no bank holiday rules for year ${year}`);
  const known = cache.get(year);
  if (known) return known;
  const change = ONE_OFF_CHANGES[year] ?? {};
  const moved = new Map(change.moved ?? []);
  const days = [...byRule(year).map((day) => moved.get(day) ?? day), ...(change.added ?? [])].sort();
  const frozen = Object.freeze(days);
  cache.set(year, frozen);
  return frozen;
}

export function isBankHoliday(date: IsoDate): boolean {
  return bankHolidays(Number(date.slice(0, 4))).includes(date);
}
