import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GatewayKind, GatewayStart, GatewayStats } from './gateway-process';

const MiB = 1024 * 1024;

/** A process's resident set size in MiB, from /proc (0 once it has gone). */
export function rssMiB(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
    return line ? Math.round((Number(line[1]) * 1024 * 10) / MiB) / 10 : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; `stop` gives the highest seen. */
export function sampleRss(pid: number, everyMs = 50): { stop(): number; samples: number[] } {
  const samples: number[] = [];
  let peak = rssMiB(pid);
  const timer = setInterval(() => {
    const now = rssMiB(pid);
    samples.push(now);
    peak = Math.max(peak, now);
  }, everyMs);
  return {
    samples,
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

/** A gateway of `kind` started in a process of its own (gateway-process.ts). */
export class GatewayChild {
  private constructor(
    readonly kind: GatewayKind,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  get wsUrl(): string {
    return this.url.replace(/^http/, 'ws');
  }

  /** `nodeOptions`: V8 and Node.js flags for the gateway's process, e.g. `--max-old-space-size=256`. */
  static async start(start: GatewayStart, nodeOptions: string[] = []): Promise<GatewayChild> {
    const child = fork(path.join(__dirname, 'gateway-process.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [...process.execArgv, '--expose-gc', ...nodeOptions],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (m: { type: string; url?: string; error?: string }) =>
        m.type === 'ready' ? resolve(m.url!) : reject(new Error(`the ${start.kind} gateway did not start: ${m.error}`)),
      );
      child.once('exit', (code) => reject(new Error(`the ${start.kind} gateway exited (${code}) before it was ready`)));
      child.send(start);
    });
    child.removeAllListeners('exit');
    return new GatewayChild(start.kind, url, child);
  }

  rssMiB(): number {
    return rssMiB(this.pid);
  }

  /**
   * Right after a full garbage collection in the gateway's process: its RSS and the JavaScript
   * heap still in use, in MiB. The heap in use is what the gateway holds on to (a leak shows
   * there); the RSS also keeps heap pages V8 has not handed back yet.
   */
  async afterGc(): Promise<{ rssMiB: number; heapUsedMiB: number }> {
    const { heapUsed } = await this.ask<{ heapUsed: number }>('gc');
    return { rssMiB: this.rssMiB(), heapUsedMiB: Math.round((heapUsed * 10) / MiB) / 10 };
  }

  /** The hub gateway's graphql-ws counts (zeros for the other gateways). */
  async stats(): Promise<GatewayStats> {
    return (await this.ask<{ stats: GatewayStats }>('stats')).stats;
  }

  /** Sends the gateway's process a message of `type` and resolves with its reply of the same type. */
  private ask<T>(type: string): Promise<T> {
    return new Promise((resolve) => {
      const onMessage = (m: { type: string } & T) => {
        if (m.type !== type) return;
        this.child.off('message', onMessage);
        resolve(m);
      };
      this.child.on('message', onMessage);
      this.child.send({ type });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
