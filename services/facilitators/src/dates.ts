import { badField } from '@hub/core';

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Today in UTC: what `expired` is computed against. */
export function todayUtc(): string {
  return dayOf(new Date());
}

/**
 * The latest date that is already today somewhere (UTC+14). "Not in the future" is checked
 * against it so that an Australian morning's date is not refused while UTC is still yesterday.
 */
export function latestToday(): string {
  return dayOf(new Date(Date.now() + 14 * 3600 * 1000));
}

/** Refuses a day that is not yet today anywhere (BAD_USER_INPUT on `field`). */
export function checkNotFuture(day: string, field: string): void {
  if (day > latestToday()) throw badField(field, 'is in the future');
}

/** `day` plus whole months; the day of the month is clamped (2024-01-31 + 1 month = 2024-02-29), as PostgreSQL does. */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number);
  const first = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastOfMonth = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(date, lastOfMonth));
  return dayOf(first);
}
