import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { actAsSystem, deleteRows, ident, insertRows, readRows, summariseRows, type RowSummary } from './organisation-rows';
import { NODE_SUBGRAPHS, ORGANISATION_TABLES, type NodeSubgraph } from './organisation-tables';

export type Hosting = 'HUB' | 'NODE';

export interface MoveOrganisation {
  organisation: string;
  /** Where the records go: onto the organisation's node, or back to the hub. */
  to: Hosting;
  /** The hub's databases of the three subgraphs (as the tables' owner). */
  hub: Record<NodeSubgraph, DataSource>;
  /** The node's databases (as the tables' owner). */
  node: Record<NodeSubgraph, DataSource>;
  /** Switches routing in the registry (`movePartnerHosting`); called once the copy is verified. */
  switchHosting(to: Hosting): Promise<void>;
}

export interface MoveReport {
  /** Per subgraph and table, the rows at the source before the move... */
  before: Record<NodeSubgraph, RowSummary>;
  /** ...and at the target after it: equal, or the move did not happen. */
  after: Record<NodeSubgraph, RowSummary>;
}

/**
 * On the hub, once an organisation's records live on its node, a constraint refuses any new row
 * of it: a write that was queued behind the move, or routed to the hub by mistake, fails instead
 * of landing where nobody reads it.
 */
const hubGuard = (organisation: string) => ident(`node_hosted_${organisation}`);

async function guardHub(m: EntityManager, subgraph: NodeSubgraph, organisation: string, on: boolean): Promise<void> {
  for (const { table, owner } of ORGANISATION_TABLES[subgraph]) {
    const drop = `ALTER TABLE ${ident(table)} DROP CONSTRAINT IF EXISTS ${hubGuard(organisation)}`;
    await m.query(on ? `${drop}, ADD CONSTRAINT ${hubGuard(organisation)} CHECK (${owner} <> '${organisation.replace(/'/g, "''")}')` : drop);
  }
}

const total = (summaries: Record<string, RowSummary>) => Object.values(summaries).flatMap((s) => Object.values(s)).reduce((n, t) => n + t.count, 0);

/**
 * Moves an organisation's facilitators, sessions and feedback records between the hub and its
 * node, losing and duplicating nothing:
 * 1. on the source, one transaction per subgraph locks the tables against writes (reads go on)
 *    and reads the organisation's rows and their counts and checksums;
 * 2. the target (which must hold none of them) receives them in one transaction per subgraph and
 *    its counts and checksums must equal the source's;
 * 3. routing switches (`switchHosting`);
 * 4. the source deletes them in the transactions of step 1 and commits; the hub keeps a guard
 *    against new rows of an organisation its node hosts.
 * Any failure before step 4 rolls the source back, removes what reached the target, and leaves
 * routing as it was.
 */
export async function moveOrganisation(move: MoveOrganisation): Promise<MoveReport> {
  const { organisation } = move;
  const [from, to] = move.to === 'NODE' ? [move.hub, move.node] : [move.node, move.hub];
  const runners: Partial<Record<NodeSubgraph, QueryRunner>> = {};
  const copied: NodeSubgraph[] = [];
  const before = {} as MoveReport['before'];
  const after = {} as MoveReport['after'];
  let switched = false;
  try {
    const rows = {} as Record<NodeSubgraph, Awaited<ReturnType<typeof readRows>>>;
    for (const name of NODE_SUBGRAPHS) {
      const runner = from[name].createQueryRunner();
      runners[name] = runner;
      await runner.startTransaction();
      await actAsSystem(runner.manager);
      // SHARE: the source's rows stay readable and cannot change until the move is over
      await runner.query(`LOCK TABLE ${ORGANISATION_TABLES[name].map((t) => ident(t.table)).join(', ')} IN SHARE MODE`);
      before[name] = await summariseRows(runner.manager, name, organisation);
      rows[name] = await readRows(runner.manager, name, organisation);
    }
    for (const name of NODE_SUBGRAPHS) {
      after[name] = await to[name].transaction(async (m) => {
        await actAsSystem(m);
        if (move.to === 'HUB') await guardHub(m, name, organisation, false);
        const already = await summariseRows(m, name, organisation);
        if (total({ already })) throw new Error(`the target's ${name} database already holds ${organisation}'s rows`);
        await insertRows(m, name, rows[name]);
        const written = await summariseRows(m, name, organisation);
        if (JSON.stringify(written) !== JSON.stringify(before[name])) throw new Error(`${name}: the copy's counts or checksums differ from the source's`);
        return written;
      });
      copied.push(name);
    }
    await move.switchHosting(move.to);
    switched = true;
    for (const name of NODE_SUBGRAPHS) {
      const runner = runners[name] as QueryRunner;
      await deleteRows(runner.manager, name, organisation);
      if (move.to === 'NODE') await guardHub(runner.manager, name, organisation, true);
      await runner.commitTransaction();
    }
    return { before, after };
  } catch (error) {
    for (const runner of Object.values(runners)) if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    if (!switched) {
      for (const name of copied) {
        await to[name].transaction(async (m) => {
          await actAsSystem(m);
          await deleteRows(m, name, organisation);
          if (move.to === 'HUB') await guardHub(m, name, organisation, true);
        });
      }
    }
    const message = (error as { originalError?: Error }).originalError?.message ?? (error as Error).message;
    throw new Error(
      switched
        ? `routing now points to the ${move.to === 'NODE' ? 'node' : 'hub'}, but the source's copy could not be removed (remove it before moving again): ${message}`
        : `nothing was moved: ${message}`,
    );
  } finally {
    await Promise.all(Object.values(runners).map((r) => r.release()));
  }
}
