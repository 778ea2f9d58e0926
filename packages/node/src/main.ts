import { ConfigError } from '@hub/core';
import { loadPartnerNodeConfig } from './node-config';
import { startPartnerNode } from './partner-node';

/** `npm run partner-node -- --config partner-node.json` (or PARTNER_NODE_CONFIG=…). */
async function main(): Promise<void> {
  const flag = process.argv.indexOf('--config');
  const path = flag >= 0 ? process.argv[flag + 1] : process.env.PARTNER_NODE_CONFIG;
  try {
    if (!path) throw new ConfigError('Usage: npm run partner-node -- --config partner-node.json (or set PARTNER_NODE_CONFIG)');
    const config = loadPartnerNodeConfig(path);
    const node = await startPartnerNode(config);
    const endpoints = Object.entries(node.endpoints).map(([name, e]) => `{ subgraph: ${name.toUpperCase()}, url: "${e.url}", wsUrl: "${e.wsUrl}" }`);
    process.stdout.write(
      [
        `partner node of ${node.organisation} ready:`,
        ...Object.entries(node.endpoints).map(([name, e]) => `  ${name.padEnd(12)} ${e.url}`),
        `trusted hub keys: ${node.trustedKeyFingerprints.join(', ')}`,
        'register it at the hub (as the organisation\'s admin or its program\'s national manager):',
        `  mutation { registerPartnerNode(input: { organisationId: "${node.organisation}", hubKeyFingerprint: "${node.trustedKeyFingerprints[0]}",`,
        `    endpoints: [${endpoints.join(', ')}] }) { status } }`,
        '',
      ].join('\n'),
    );
    const shutdown = () => void node.stop().then(() => process.exit(0), () => process.exit(1));
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `partner node failed to start: ${(error as Error).message}`}\n`);
    process.exit(1);
  }
}

void main();
