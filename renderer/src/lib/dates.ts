// Date ranges as the admin API takes them: 'YYYY-MM-DD' in UTC, `from` inclusive and `to` exclusive.

const DAY_MS = 86_400_000;

export function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return isoDay(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

export interface DateRange {
  from: string;
  to: string;
}

/** The last `days` days including today. */
export function lastDays(days: number, now: number): DateRange {
  const today = isoDay(now);
  return { from: addDays(today, 1 - days), to: addDays(today, 1) };
}

/** Every day of a range, in order; bounded so a typo cannot build a million-day axis. */
export function daysOf(range: DateRange, limit = 731): string[] {
  const out: string[] = [];
  for (let day = range.from; day < range.to && out.length < limit; day = addDays(day, 1)) out.push(day);
  return out;
}

export function isValidDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && isoDay(time) === value;
}
