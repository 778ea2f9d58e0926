import { SCOPE_HEADER, SYSTEM_SCOPE, type ScopeSigner } from '@hub/core';
import { GraphQLError } from 'graphql';

/**
 * Asks the partners subgraph (the program registry) a question as the hub itself: who may see
 * what, where each organisation's records are hosted. Any failure is SUBGRAPH_UNAVAILABLE naming
 * partners, so a caller is refused rather than answered from a guess.
 */
export async function askPartners<T>(url: string, signer: ScopeSigner, timeoutMs: number, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  let body: { data?: T; errors?: { message: string }[] } | undefined;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SCOPE_HEADER]: await signer.sign(SYSTEM_SCOPE) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = (await res.json()) as typeof body;
  } catch {
    body = undefined;
  }
  if (!body?.data || body.errors?.length) {
    throw new GraphQLError('Access could not be checked: the partners service is unavailable', {
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'partners', http: { status: 503 } },
    });
  }
  return body.data;
}
