import path from 'node:path';
import { ConfigError, DEFAULT_PORTS, parseEnv, SUBGRAPH_NAMES } from '@hub/core';
import { z } from 'zod';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';
import { startHub, type Hub } from './hub';
import { seedDemo, type DemoSummary } from './demo-seed';
import { demoCallers } from './demo-tokens';
import { loadOrCreateHubKeys } from './hub-keys';

const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('127.0.0.1'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  EMBEDDED_PG_DIR: z.string().default(path.resolve(__dirname, '../../../.data/pg')),
  HUB_KEYS_FILE: z.string().default(path.resolve(__dirname, '../../../.data/dev-keys.json')),
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
  LOG_LEVEL: z.string().default('warn'),
  NODE_ENV: z.string().default('development'),
  PARTNERS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  FACILITATORS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  SESSIONS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  FEEDBACK_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

function exampleQuery(demo: DemoSummary): string {
  return `query NationalOverview {
  program(id: "${demo.programId}") {
    name
    deliveryPartners {
      name
      facilitatorCount(status: ACTIVE)
      groups: communityCount(kind: GROUP, programId: "${demo.programId}")
      sessionsHeld: sessionCount(from: "${demo.yearStart}", to: "${demo.yearEnd}", status: ENDED, programId: "${demo.programId}")
      feedbackResponseCount(from: "${demo.yearStart}", to: "${demo.yearEnd}", programId: "${demo.programId}")
    }
  }
}`;
}

/**
 * `npm start`: the whole hub on this machine. Without DATABASE_URL it runs an embedded PostgreSQL
 * (data kept in .data/pg), so a fresh clone needs nothing installed but Node.js.
 */
async function main(): Promise<void> {
  const env = parseEnv(envSchema, process.env);
  let embedded: EmbeddedDatabase | undefined;
  let serverUrl = env.DATABASE_URL;
  if (!serverUrl) {
    process.stdout.write(`No DATABASE_URL: starting an embedded PostgreSQL in ${env.EMBEDDED_PG_DIR}\n`);
    embedded = await startEmbeddedPostgres({ dataDir: env.EMBEDDED_PG_DIR, port: env.EMBEDDED_PG_PORT || undefined });
    serverUrl = embedded.url;
  }
  const keys = await loadOrCreateHubKeys(env.HUB_KEYS_FILE);
  let hub: Hub;
  try {
    hub = await startHub({
      keys,
      serverUrl,
      host: env.HOST,
      gatewayPort: env.GATEWAY_PORT,
      subgraphPorts: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, env[`${n.toUpperCase()}_PORT` as 'PARTNERS_PORT'] ?? DEFAULT_PORTS[n]])),
      logLevel: env.LOG_LEVEL,
      production: env.NODE_ENV === 'production',
    });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const stop = async () => {
    try {
      await hub.stop();
    } finally {
      await embedded?.stop();
    }
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(0), () => process.exit(1)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(0), () => process.exit(1)));

  const demo = env.SEED_DEMO === 'true' ? await seedDemo(hub, (line) => process.stdout.write(`${line}\n`)) : undefined;
  process.stdout.write(`\nThe hub is running.\n  Gateway:   ${hub.gatewayUrl}\n  Dashboard: ${hub.gatewayUrl.replace(/\/graphql$/, '/dashboard/')} (sign in with a token below)\n`);
  for (const name of SUBGRAPH_NAMES) process.stdout.write(`  ${name.padEnd(12)} ${hub.subgraphs[name].url()}\n`);
  if (demo) {
    const callers = await demoCallers(hub, demo.programId);
    process.stdout.write('\nSign in with one of these tokens (Authorization: Bearer …), valid 12 hours; `npm run token` makes more:\n');
    const tokens: string[] = [];
    for (const caller of callers) {
      const token = await hub.token(caller.request);
      tokens.push(token);
      process.stdout.write(`\n  ${caller.label}:\n  ${token}\n`);
    }
    const body = JSON.stringify({ query: exampleQuery(demo) });
    process.stdout.write(
      `\nTry the national overview as the national manager (or paste the query into ${hub.gatewayUrl} with its token):\n\ncurl -s ${hub.gatewayUrl} -H 'content-type: application/json' -H 'authorization: Bearer ${tokens[0]}' -d '${body.replace(/'/g, "'\\''")}'\n\n${exampleQuery(demo)}\n`,
    );
  }
  process.stdout.write('\nStop with Ctrl-C.\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `The hub failed to start: ${error instanceof Error ? error.message : String(error)}`}\n`);
  process.exit(1);
});
