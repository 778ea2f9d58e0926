import { badField } from '@hub/core';

/** The first UTC day whose midnight is at or after `instant`, YYYY-MM-DD. */
export function firstDayFrom(instant: Date): string {
  const day = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
  if (day.getTime() < instant.getTime()) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

/**
 * Responses carry only their UTC day, so an interval [from, to) of instants counts the responses
 * of the days whose midnight (UTC) falls within it.
 */
export function responseDays(from?: Date | null, to?: Date | null): { fromDay: string | null; toDay: string | null } {
  if (from && to && to.getTime() < from.getTime()) throw badField('to', 'is before from');
  return { fromDay: from ? firstDayFrom(from) : null, toDay: to ? firstDayFrom(to) : null };
}
