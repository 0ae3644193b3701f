/** Calendar days as the reports hold them (`YYYY-MM-DD`, no time zone): the arithmetic the rules and statistics share. */

/** The day `n` days after `day` (before it when `n` is negative). */
export const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The first day of the month of `day`. */
export const monthOf = (day: string): string => `${day.slice(0, 7)}-01`;

/** The first day of the month after `month` (itself a first day). */
export function nextMonth(month: string): string {
  const d = new Date(`${month}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
}

/** Today in France: the latest day a report may be filed for, and the default day activity groups are computed for. */
export function todayInFrance(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(now);
}
