import pino, { type Logger } from 'pino';

export type { Logger };

/** One structured logger per service; `level: 'silent'` in tests. */
export function createLogger(name: string, level = 'info'): Logger {
  return pino({ name, level });
}
