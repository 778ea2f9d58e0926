import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import type { Logger } from './logger';
import { pushQueue } from './push-queue';

/** The PostgreSQL channel every subgraph's change events travel on (one per database). */
export const EVENT_CHANNEL = 'hub_events';

/** A change: what kind (`topic`), which record or group it concerns (`key`), and small facts about it. */
export interface ChangeEvent {
  topic: string;
  key: string;
  data?: Record<string, unknown>;
}

/**
 * Publishes a change from inside the transaction that makes it: PostgreSQL delivers a NOTIFY only
 * when that transaction commits, to every connection listening on the database (so to every
 * replica of the subgraph), and never when it rolls back.
 */
export async function publishEvent(db: EntityManager, event: ChangeEvent): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [EVENT_CHANNEL, JSON.stringify(event)]);
}

const QUEUE_LIMIT = 1000;

/**
 * The subgraph's side of the events: one connection LISTENing on its database, handing each
 * committed change to the subscriptions waiting for its topic and key. It reconnects by itself
 * when the connection drops.
 */
export class EventBus {
  private client: Client | undefined;
  private readonly listeners = new Map<string, Set<(event: ChangeEvent) => void>>();
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('notification', (message) => this.dispatch(message.payload));
    client.on('error', (error) => {
      this.log.warn({ err: error }, 'event connection lost; reconnecting');
      this.reconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${EVENT_CHANNEL}`);
    this.client = client;
  }

  private reconnect(): void {
    const old = this.client;
    this.client = undefined;
    void old?.end().catch(() => undefined);
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.start().catch(() => this.reconnect());
    }, 500);
  }

  private dispatch(payload: string | undefined): void {
    let event: ChangeEvent;
    try {
      event = JSON.parse(payload ?? '') as ChangeEvent;
    } catch {
      return;
    }
    for (const listener of this.listeners.get(`${event.topic}\u0000${event.key}`) ?? []) listener(event);
  }

  /**
   * The changes of `topic` and `key` from now on, in commit order. A subscriber that falls more than
   * a thousand events behind loses the oldest.
   */
  subscribe(topic: string, key: string): AsyncGenerator<ChangeEvent> {
    const name = `${topic}\u0000${key}`;
    const listeners = this.listeners.get(name) ?? new Set();
    const queue = pushQueue<ChangeEvent>(() => {
      listeners.delete(queue.push);
      if (listeners.size === 0 && this.listeners.get(name) === listeners) this.listeners.delete(name);
    }, QUEUE_LIMIT);
    listeners.add(queue.push);
    this.listeners.set(name, listeners);
    return queue.iterator;
  }

  /** How many subscriptions are waiting on events (tests read it). */
  get subscriptionCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}
