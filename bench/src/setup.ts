import path from 'node:path';
import { dropDatabase, SUBGRAPH_NAMES, withDatabase, databaseNameFor, type SubgraphName } from '@hub/core';
import { startEmbeddedPostgres, startHub, type Hub, type HubOptions } from '@hub/hub';
import { Client } from 'pg';
import { findDataset, generateDataset, type Dataset, type GenerateSummary } from './generate';

export interface Server {
  url: string;
  /** `DATABASE_URL`, or the embedded PostgreSQL in .data/bench-pg. */
  kind: 'DATABASE_URL' | 'embedded';
  version: string;
  stop(): Promise<void>;
}

/** DATABASE_URL when set, else an embedded PostgreSQL kept in .data/bench-pg (so `--reuse` finds its data). */
export async function startServer(log: (line: string) => void): Promise<Server> {
  let url = process.env.DATABASE_URL;
  let stop = async (): Promise<void> => undefined;
  let kind: Server['kind'] = 'DATABASE_URL';
  if (!url) {
    const dataDir = process.env.EMBEDDED_PG_DIR ?? path.resolve(__dirname, '../../.data/bench-pg');
    log(`No DATABASE_URL: starting an embedded PostgreSQL in ${dataDir}`);
    // room for the fan-out workload's partner nodes (three subgraphs each, with their own pools)
    const embedded = await startEmbeddedPostgres({ dataDir, durable: false, maxConnections: 600 });
    url = embedded.url;
    stop = () => embedded.stop();
    kind = 'embedded';
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  const version = (await client.query('SHOW server_version')).rows[0].server_version as string;
  await client.end();
  return { url, kind, version, stop };
}

/** `bench_s10`, `bench_s0_05`: one set of databases per scale. */
export const prefixFor = (scale: number) => `bench_s${String(scale).replace(/[^0-9]/g, '_')}`;

export const databaseUrlsOf = (serverUrl: string, prefix: string) =>
  Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, withDatabase(serverUrl, databaseNameFor(n, prefix))])) as Record<SubgraphName, string>;

export interface Prepared {
  hub: Hub;
  dataset: Dataset;
  /** Set when this run generated the data (not with `--reuse` of an existing dataset). */
  generated?: GenerateSummary;
}

/**
 * Starts the hub on the scale's databases and makes sure they hold the dataset: with `reuse`, the
 * one there when complete; otherwise fresh databases (dropped, created and migrated by the hub's
 * start) and a newly generated dataset.
 */
export async function prepare(options: {
  serverUrl: string;
  scale: number;
  /** The databases' name prefix (default `prefixFor(scale)`). */
  prefix?: string;
  reuse: boolean;
  log: (line: string) => void;
  hub?: Partial<HubOptions>;
}): Promise<Prepared> {
  const prefix = options.prefix ?? prefixFor(options.scale);
  const urls = databaseUrlsOf(options.serverUrl, prefix);
  if (!options.reuse) await Promise.all(SUBGRAPH_NAMES.map((n) => dropDatabase(urls[n])));
  // the fan-out workload registers its nodes through this gateway, which re-reads the registry at
  // once; a timed re-read would add statements to the partners subgraph mid-measurement
  const hub = await startHub({ serverUrl: options.serverUrl, databasePrefix: prefix, gatewayPort: 0, logLevel: 'silent', partnerNodeRefreshMs: 3_600_000, ...options.hub });
  try {
    const found = options.reuse ? await findDataset(urls, options.scale) : null;
    if (found) {
      options.log(`Reusing the scale ${options.scale} dataset in ${prefix}_*`);
      return { hub, dataset: found };
    }
    if (options.reuse) options.log(`No complete scale ${options.scale} dataset in ${prefix}_*: generating one`);
    const generated = await generateDataset({ scale: options.scale, databaseUrls: urls, log: options.log }).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}${options.reuse ? ' (run without --reuse for fresh databases)' : ''}`);
    });
    return { hub, dataset: generated, generated };
  } catch (error) {
    await hub.stop();
    throw error;
  }
}

/** `--name value` and `--flag` arguments. */
export function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const eq = a.indexOf('=');
    const [name, inline] = eq < 0 ? [a.slice(2), undefined] : [a.slice(2, eq), a.slice(eq + 1)];
    if (inline !== undefined) args.set(name, inline);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) args.set(name, argv[++i]);
    else args.set(name, 'true');
  }
  return args;
}

export function numberArg(args: Map<string, string>, name: string, fallback: number): number {
  const raw = args.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${raw}`);
  return n;
}
