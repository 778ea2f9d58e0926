import { ConfigError, loadSubgraphConfig, type SubgraphConfig, type SubgraphName } from './config';
import type { Subgraph } from './subgraph';

/**
 * The body of every subgraph's `main.ts`: read config, create, listen, stop cleanly on SIGTERM or
 * SIGINT, exit 1 with a clear message on failure.
 */
export async function runSubgraphMain(name: SubgraphName, create: (config: SubgraphConfig) => Promise<Subgraph>): Promise<void> {
  try {
    const subgraph = await create(loadSubgraphConfig(name));
    const url = await subgraph.listen();
    process.stdout.write(`${name} subgraph ready at ${url}\n`);
    const shutdown = () => {
      subgraph.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : `${name} failed to start: ${(error as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
}
