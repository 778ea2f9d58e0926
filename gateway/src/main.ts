import { ConfigError } from '@hub/core';
import { loadGatewayConfig } from './config';
import { createGateway } from './gateway';

async function main(): Promise<void> {
  try {
    const gateway = await createGateway(loadGatewayConfig());
    const url = await gateway.listen();
    process.stdout.write(`gateway ready at ${url}\n`);
    const shutdown = () => void gateway.stop().then(() => process.exit(0), () => process.exit(1));
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `gateway failed to start: ${(error as Error).message}`}\n`);
    process.exit(1);
  }
}

void main();
