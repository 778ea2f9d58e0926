import { fork } from 'node:child_process';
import path from 'node:path';
import { sampleRss } from './gateway-child';
import type { LoadRequest, LoadResult } from './load';

/** Runs autocannon in a child process against a gateway while sampling the gateway process's RSS. */
export async function load(request: LoadRequest, gatewayPid: number = process.pid): Promise<LoadResult & { peakRssMiB: number }> {
  const child = fork(path.join(__dirname, 'load.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const rss = sampleRss(gatewayPid);
  try {
    const answer = await new Promise<{ result?: LoadResult; error?: string }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { result?: LoadResult; error?: string }));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the load generator exited (${code}) without a result`)));
      child.send(request);
    });
    if (!answer.result) throw new Error(`the load generator failed: ${answer.error}`);
    return { ...answer.result, peakRssMiB: rss.stop() };
  } finally {
    rss.stop();
    child.removeAllListeners('exit');
  }
}

