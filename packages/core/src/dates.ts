import { registerDecorator, type ValidationOptions } from 'class-validator';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * True for a `YYYY-MM-DD` string naming a day that exists. A pattern and `Date.parse` are not
 * enough: JavaScript rolls 2024-02-30 over to 1 March instead of refusing it.
 */
export function isDay(value: unknown): value is string {
  const m = typeof value === 'string' ? DAY.exec(value) : null;
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** class-validator: the property, when present, is a real date `YYYY-MM-DD` (see isDay). */
export function IsDay(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDay',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be a real date YYYY-MM-DD', ...options },
      validator: { validate: (value: unknown) => value === undefined || value === null || isDay(value) },
    });
}
