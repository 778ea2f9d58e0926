import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** Multi-row inserts in chunks: the demo is tens of thousands of rows. */
export async function insertAll<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, rows: Partial<T>[], chunk = 1000): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await m.createQueryBuilder().insert().into(entity).values(rows.slice(i, i + chunk) as never).execute();
  }
}
