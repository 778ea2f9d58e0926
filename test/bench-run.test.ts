import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseNameFor, dropDatabase, SUBGRAPH_NAMES, withDatabase } from '@hub/core';
import { testServerUrl } from './support/database';

/**
 * `npm run bench` end to end at a tiny scale: every workload but the long ones, through the hub's
 * gateway and plain @apollo/gateway, each in a process of its own. Figures are not asserted (a test
 * never judges speed); what a reader of the report relies on is: every run answered without
 * errors, the other gateway's answers checked against the hub's, the hub's national numbers equal
 * to SQL on the databases, every live event delivered to every subscriber over one upstream
 * subscription, every check-in landed once.
 */
const PREFIX = `t_bench_${process.pid}`;
const BENCH = path.resolve(__dirname, '../bench/dist/bench.js');

function runBench(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BENCH, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('npm run bench', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'hub-bench-'));
  let report: any;
  let markdown: string;

  beforeAll(async () => {
    const { code, stderr } = await runBench(
      [
        '--scale', '0.03', '--prefix', PREFIX, '--duration', '1', '--connections', '1',
        '--gateways', 'hub,apollo', '--workloads', 'national,list,subgraphs,memory,checkin,live',
        '--subscribers', '20', '--events', '3', '--memory-seconds', '3', '--memory-warm-up', '1', '--out', out,
      ],
      { ...process.env, DATABASE_URL: testServerUrl(), NODE_ENV: undefined },
    );
    if (code !== 0) throw new Error(`the benchmark exited with ${code}:\n${stderr.slice(-4000)}`);
    const files = readdirSync(out);
    report = JSON.parse(readFileSync(path.join(out, files.find((f) => f.endsWith('.json'))!), 'utf8'));
    markdown = readFileSync(path.join(out, files.find((f) => f.endsWith('.md'))!), 'utf8');
  }, 180_000);

  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await Promise.all(SUBGRAPH_NAMES.map((n) => dropDatabase(withDatabase(testServerUrl(), databaseNameFor(n, PREFIX)))));
  });

  it('runs each query workload through both gateways at each concurrency, without errors, the answers checked', () => {
    expect(report.workloads.map((w: any) => w.name)).toEqual(['national', 'list']);
    for (const w of report.workloads) {
      expect(w.checkError).toBeUndefined();
      expect(w.runs.map((r: any) => `${r.gateway}@${r.connections}`)).toEqual(['hub@1', 'apollo@1']);
      for (const run of w.runs) {
        expect(run.invalid).toBeUndefined();
        expect(run.errors.total).toBe(0);
        expect(run.requests).toBeGreaterThan(0);
        expect(run.peakRssMiB).toBeGreaterThan(0);
      }
      // batching: a handful of statements per subgraph request, whatever the list sizes
      expect(w.statements.total).toBeGreaterThan(0);
      expect(w.statements.total).toBeLessThan(40);
    }
  });

  it("sets the hub's national dashboard against the same numbers computed by SQL on each database", () => {
    expect(report.floor.matchesHub).toBe(true);
    expect(report.floor.iterations).toBeGreaterThan(0);
    expect(report.ratio.hubOverFloor).toBeGreaterThan(0);
  });

  it('delivers every live event to every subscriber over one upstream subscription', () => {
    expect(report.live).toMatchObject({ subscribers: 20, events: 3, expected: 60, delivered: 60, upstreamSubscriptions: 1, upstreamConnections: 1, clientConnections: 20 });
    expect(report.live.afterCommitMs.p99).toBeGreaterThanOrEqual(report.live.afterCommitMs.p50);
  });

  it('lands every check-in once: rows added are the successes plus those still in flight', () => {
    const c = report.checkin;
    expect(c.successes).toBeGreaterThan(0);
    expect(c.runs.every((r: any) => r.errors.total === 0)).toBe(true);
    expect(c.rowsAdded).toBeGreaterThanOrEqual(c.successes);
    expect(c.rowsAdded).toBeLessThanOrEqual(c.successes + c.unfinished);
  });

  it('measures memory after full collections and replays the subgraph requests in-process', () => {
    expect(report.memory.errors).toBe(0);
    expect(report.memory.afterGcMiB.afterWarmUp).toBeGreaterThan(0);
    expect(report.memory.afterGcMiB.end).toBeGreaterThan(0);
    const subgraphs = new Set(report.subgraphs.rows.map((r: any) => r.subgraph));
    expect([...subgraphs].sort()).toEqual([...SUBGRAPH_NAMES].sort());
    for (const row of report.subgraphs.rows) {
      expect(row.http.requestsPerSecond).toBeGreaterThan(0);
      expect(row.inProcess.requestsPerSecond).toBeGreaterThan(0);
    }
  });

  it('writes a report that opens with the targets and the command that produced it', () => {
    expect(markdown).toMatch(/^# Benchmark: scale 0\.03/);
    expect(markdown).toContain('npm run bench -- --scale 0.03');
    expect(markdown).toContain('## Targets');
    expect(report.targets.map((t: any) => t.verdict)).not.toContain(undefined);
    expect(report.targets.length).toBeGreaterThanOrEqual(8);
  });
});
