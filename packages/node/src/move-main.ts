import { userInfo } from 'node:os';
import { askPartners, ConfigError, loadSubgraphConfig, pemFromEnv, ScopeSigner, SYSTEM_SCOPE } from '@hub/core';
import { DataSource } from 'typeorm';
import { moveOrganisation, type Hosting } from './move-organisation';
import { loadPartnerNodeConfig } from './node-config';
import { NODE_SUBGRAPHS, type NodeSubgraph } from './organisation-tables';

const MOVE = `mutation($o: ID!, $h: PartnerHosting!) { movePartnerHosting(organisationId: $o, hosting: $h) { hosting } }`;

/**
 * `npm run move-organisation -- --node-config partner-node.json --to node|hub`: moves the node's
 * organisation's records between the hub's databases (DATABASE_URL or <NAME>_DATABASE_URL) and
 * the node's, and switches routing at the registry (PARTNERS_URL, signed with
 * HUB_GATEWAY_PRIVATE_KEY). Run it where both databases are reachable.
 */
async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const sources: DataSource[] = [];
  try {
    const to = arg('to')?.toUpperCase();
    const path = arg('node-config');
    if (!path || (to !== 'NODE' && to !== 'HUB')) throw new ConfigError('Usage: npm run move-organisation -- --node-config partner-node.json --to node|hub');
    const node = loadPartnerNodeConfig(path);
    const privateKey = process.env.HUB_GATEWAY_PRIVATE_KEY;
    if (!privateKey) throw new ConfigError('Missing configuration: set HUB_GATEWAY_PRIVATE_KEY (the hub gateway\'s key signs the registry change)');
    const partnersUrl = process.env.PARTNERS_URL || 'http://127.0.0.1:4101/graphql';
    const open = async (url: string) => {
      const source = new DataSource({ type: 'postgres', url, extra: { max: 2 } });
      sources.push(source);
      return source.initialize();
    };
    const hub = {} as Record<NodeSubgraph, DataSource>;
    const own = {} as Record<NodeSubgraph, DataSource>;
    for (const name of NODE_SUBGRAPHS) {
      hub[name] = await open(loadSubgraphConfig(name).databaseUrl);
      own[name] = await open(node.databaseUrls[name]);
    }
    const signer = new ScopeSigner(pemFromEnv(privateKey));
    const report = await moveOrganisation({
      organisation: node.organisation,
      to: to as Hosting,
      hub,
      node: own,
      switchHosting: async (hosting) => {
        // the audit trail names who ran the move
        await askPartners(partnersUrl, signer, 10_000, MOVE, { o: node.organisation, h: hosting }, { ...SYSTEM_SCOPE, subject: `move-organisation (${userInfo().username})` });
      },
    });
    for (const name of NODE_SUBGRAPHS) {
      for (const [table, { count, checksum }] of Object.entries(report.after[name])) process.stdout.write(`${name}.${table}: ${count} rows, md5 ${checksum}\n`);
    }
    process.stdout.write(`${node.organisation}'s records are now hosted by the ${to === 'NODE' ? 'node' : 'hub'}; gateways route there within PARTNER_NODE_REFRESH_MS\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `move failed: ${(error as Error).message}`}\n`);
    process.exitCode = 1;
  } finally {
    await Promise.all(sources.filter((s) => s.isInitialized).map((s) => s.destroy()));
  }
}

void main();
