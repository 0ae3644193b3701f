/**
 * Calendar days (`YYYY-MM-DD`, no time zone) and their arithmetic, in UTC so a period never shifts with the server's
 * time zone: one implementation for the four subgraphs' rules.
 */

export type IsoDate = string;

function toUtc(date: IsoDate): Date {
  return new Date(`${date}T00:00:00Z`);
}

function fromUtc(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

/** `date` plus `months` calendar months; the day is clamped to the month's end (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const d = toUtc(date);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return fromUtc(target);
}

/** The day `days` days after `date` (before it when negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtc(d);
}

/** Last day of a period of `months` months starting on `start`. */
export function periodEnd(start: IsoDate, months: number): IsoDate {
  return addDays(addMonths(start, months), -1);
}

/**
 * Months of a period starting on `start` that have begun by `on` (inclusive), between 0 and `cap`: a month
 * started counts as used, which is how a post's funding is prorated when it is given back.
 */
export function monthsStarted(start: IsoDate, on: IsoDate, cap: number): number {
  if (on < start) return 0;
  let months = 0;
  while (months < cap && addMonths(start, months) <= on) months++;
  return months;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}

/** Today in UTC: the day the recruitment, conventions and training rules compare dates with. */
export function today(): IsoDate {
  return fromUtc(new Date());
}

/** The first day of the month of `day`. */
export const monthOf = (day: IsoDate): IsoDate => `${day.slice(0, 7)}-01`;

/** The first day of the month after `month` (itself a first day). */
export function nextMonth(month: IsoDate): IsoDate {
  return addMonths(month, 1);
}

/** Today in France: the latest day an activity report may be filed for, and the default day of activity groups. */
export function todayInFrance(now = new Date()): IsoDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(now);
}
