import { spawn } from 'node:child_process';
import path from 'node:path';
import { dropDatabase, withDatabase } from '@hub/core';
import { testServerUrl } from './support/database';
import { postGraphQL } from './support/graphql';
import { scopeHeaders, TEST_GATEWAY_KEYS } from './support/scopes';

/** Starts a service's real entry point and resolves with its URL once it says it is ready. */
function startMain(script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [path.resolve(__dirname, '..', script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /ready at (\S+)/.exec(output);
      if (m) resolve(m[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`exited with ${code} before it was ready: ${output}`)));
  });
  return { child, ready, exited, output: () => output };
}

describe('a subgraph started from its main.ts', () => {
  const databaseUrl = withDatabase(testServerUrl(), `t_main_${process.pid}_partners`);
  afterAll(() => dropDatabase(databaseUrl));

  it('serves, then on SIGTERM drains, closes its database and exits 0', async () => {
    const service = startMain('services/partners/dist/main.js', {
      PARTNERS_DATABASE_URL: databaseUrl,
      PORT: '0',
      LOG_LEVEL: 'silent',
      HUB_GATEWAY_PUBLIC_KEY: TEST_GATEWAY_KEYS.publicKey.replace(/\n/g, '\\n'),
    });
    const url = await service.ready;
    const res = await postGraphQL(url, `{ programs { totalCount } }`, undefined, await scopeHeaders());
    expect(res.data).toEqual({ programs: { totalCount: 0 } });
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  });

  it('refuses to start without a database, naming the variable, and exits 1', async () => {
    const env = { PORT: '0', DATABASE_URL: '', PARTNERS_DATABASE_URL: '', HUB_GATEWAY_PUBLIC_KEY: TEST_GATEWAY_KEYS.publicKey };
    const service = startMain('services/partners/dist/main.js', env);
    expect(await service.exited).toBe(1);
    expect(service.output()).toMatch(/PARTNERS_DATABASE_URL or DATABASE_URL/);
    await service.ready.catch(() => undefined);
  });

  it('refuses to start without the gateway\'s public key, naming the variable, and exits 1', async () => {
    const service = startMain('services/partners/dist/main.js', { PORT: '0', PARTNERS_DATABASE_URL: databaseUrl, HUB_GATEWAY_PUBLIC_KEY: '' });
    expect(await service.exited).toBe(1);
    expect(service.output()).toMatch(/HUB_GATEWAY_PUBLIC_KEY/);
    await service.ready.catch(() => undefined);
  });
});
