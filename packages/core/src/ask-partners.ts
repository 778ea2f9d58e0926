import { GraphQLError } from 'graphql';
import { SYSTEM_SCOPE, type AccessScope } from './access';
import { SCOPE_HEADER, type ScopeSigner } from './internal-token';

/**
 * Asks the partners subgraph (the program registry) a question as the hub itself: who may see
 * what, where each organisation's records are hosted (the gateway), switching an organisation's
 * hosting (the move command, under its own subject). Any failure is SUBGRAPH_UNAVAILABLE naming
 * partners, so a caller is refused rather than answered from a guess.
 */
export async function askPartners<T>(
  url: string,
  signer: ScopeSigner,
  timeoutMs: number,
  query: string,
  variables: Record<string, unknown> = {},
  scope: AccessScope = SYSTEM_SCOPE,
): Promise<T> {
  let body: { data?: T; errors?: { message: string }[] } | undefined;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SCOPE_HEADER]: await signer.sign(scope) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = (await res.json()) as typeof body;
  } catch {
    body = undefined;
  }
  if (!body?.data || body.errors?.length) {
    // what partners said stays with the error for the hub's own logs and tools, never for clients
    const said = body?.errors?.map((e) => e.message).join('; ');
    throw new GraphQLError('Access could not be checked: the partners service is unavailable', {
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'partners', http: { status: 503 } },
      originalError: said ? new Error(said) : undefined,
    });
  }
  return body.data;
}
