import autocannon from 'autocannon';

/**
 * The load generator, run by bench.ts in a child process so that its own work does not share the
 * hub's event loop: receives one run's settings over IPC, runs autocannon and sends back the
 * figures. Latencies are kept per response to give p50/p95/p99 (autocannon reports p97.5 and p99).
 */
export interface LoadRequest {
  url: string;
  body: string;
  token: string;
  connections: number;
  durationSeconds: number;
  /** Further headers (e.g. a subgraph's signed scope). */
  headers?: Record<string, string>;
  /** Requests take these (token, body) pairs in turn instead of `token` and `body` (e.g. a different participant each). */
  varied?: { token: string; body: string }[];
}

export interface LoadResult {
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; mean: number; max: number };
  /** Socket errors and timeouts, non-2xx answers, and 200 answers carrying GraphQL `errors`. */
  errors: { total: number; socket: number; timeouts: number; non2xx: number; graphql: number };
  /** Requests sent but not answered when the run ended (not counted above: autocannon stops waiting). */
  unfinished: number;
  firstError?: string;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Hands out the pairs in turn, each as the request's authorization and body. */
function nextVaried(varied: { token: string; body: string }[]) {
  let i = 0;
  return (req: autocannon.Request) => {
    const { token, body } = varied[i++ % varied.length];
    return { ...req, body, headers: { ...req.headers, authorization: `Bearer ${token}` } };
  };
}

export async function runLoad(request: LoadRequest): Promise<LoadResult> {
  const latencies: number[] = [];
  let firstError: string | undefined;
  const instance = autocannon(
    {
      url: request.url,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(request.token ? { authorization: `Bearer ${request.token}` } : {}), ...request.headers },
      body: request.body,
      ...(request.varied ? { requests: [{ setupRequest: nextVaried(request.varied) }] } : {}),
      connections: request.connections,
      duration: request.durationSeconds,
      timeout: 30,
      verifyBody: (raw: string | Buffer | undefined) => {
        const body = String(raw ?? '');
        const ok = !body.startsWith('{"errors"') && !body.includes('"errors":[');
        if (!ok && !firstError) firstError = body.slice(0, 500);
        return ok;
      },
    },
    () => undefined,
  );
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  instance.on('reqError', (error: Error) => {
    if (!firstError) firstError = error.message;
  });
  const result = await new Promise<autocannon.Result>((resolve) => instance.on('done', resolve));
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  const requests = result.requests.total ?? latencies.length;
  return {
    connections: request.connections,
    durationSeconds: result.duration,
    requests,
    requestsPerSecond: round(requests / result.duration),
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      mean: round(latencies.reduce((s, x) => s + x, 0) / Math.max(1, latencies.length)),
      max: round(latencies[latencies.length - 1] ?? NaN),
    },
    errors: {
      total: result.errors + result.non2xx + result.mismatches,
      socket: result.errors - result.timeouts,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      graphql: result.mismatches,
    },
    unfinished: Math.max(0, ((result.requests as { sent?: number }).sent ?? requests) - requests),
    firstError,
  };
}

if (require.main === module) {
  process.once('message', (request: LoadRequest) => {
    runLoad(request).then(
      (result) => process.send?.({ result }, () => process.exit(0)),
      (error: unknown) => process.send?.({ error: error instanceof Error ? error.message : String(error) }, () => process.exit(1)),
    );
  });
}
