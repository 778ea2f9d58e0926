import { createLogger, ensureDatabase, EventBus, publishEvent, dropDatabase, type ChangeEvent } from '@hub/core';
import { DataSource } from 'typeorm';
import { testSubgraphConfig } from './support/database';

/** Change events travel by PostgreSQL NOTIFY: delivered on commit, to every listener of the database. */
describe('change events', () => {
  const { databaseUrl } = testSubgraphConfig('sessions');
  const log = createLogger('events-test', 'silent');
  let db: DataSource;
  const replicas = [new EventBus(databaseUrl, log), new EventBus(databaseUrl, log)];

  beforeAll(async () => {
    await ensureDatabase(databaseUrl);
    db = new DataSource({ type: 'postgres', url: databaseUrl });
    await db.initialize();
    await Promise.all(replicas.map((r) => r.start()));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await db.destroy();
    await dropDatabase(databaseUrl);
  });

  it('reach every replica once committed, in commit order, and never from a rolled-back transaction', async () => {
    const streams = replicas.map((r) => r.subscribe('session', 's1'));
    await db.transaction(async (m) => {
      await publishEvent(m, { topic: 'session', key: 's1', data: { n: 1 } });
    });
    await db
      .transaction(async (m) => {
        await publishEvent(m, { topic: 'session', key: 's1', data: { n: 'rolled back' } });
        throw new Error('changed our mind');
      })
      .catch(() => undefined);
    await db.transaction(async (m) => {
      await publishEvent(m, { topic: 'session', key: 'other', data: { n: 'another key' } });
      await publishEvent(m, { topic: 'session', key: 's1', data: { n: 2 } });
    });
    for (const stream of streams) {
      const seen: ChangeEvent[] = [(await stream.next()).value, (await stream.next()).value];
      expect(seen.map((e) => e.data?.n)).toEqual([1, 2]);
      await stream.return?.();
    }
    expect(replicas.map((r) => r.subscriptionCount)).toEqual([0, 0]);
  });

  it('holds nothing back until the transaction commits', async () => {
    const stream = replicas[0].subscribe('session', 's2');
    const runner = db.createQueryRunner();
    await runner.startTransaction();
    await publishEvent(runner.manager, { topic: 'session', key: 's2' });
    const pending = stream.next();
    const early = await Promise.race([pending.then(() => 'delivered'), new Promise((resolve) => setTimeout(() => resolve('held'), 200))]);
    expect(early).toBe('held');
    await runner.commitTransaction();
    await runner.release();
    expect((await pending).value).toEqual({ topic: 'session', key: 's2' });
    await stream.return?.();
  });
});
